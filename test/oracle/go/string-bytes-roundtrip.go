// Fix oracle program for go/string-bytes-roundtrip: []byte of a string that was just made from bytes.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

type Response struct {
	Status string
	Items  []string
}

func decode(r io.Reader) (*Response, error) {
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, r); err != nil {
		return nil, err
	}
	var resp Response
	err := json.Unmarshal([]byte(buf.String()), &resp) // want: go/string-bytes-roundtrip fix=safe
	return &resp, err
}

func viaVariable(r io.Reader) (*Response, error) {
	buf := new(bytes.Buffer)
	if _, err := io.Copy(buf, r); err != nil {
		return nil, err
	}
	text := buf.String()
	var resp Response
	err := json.Unmarshal([]byte(text), &resp) // want: go/string-bytes-roundtrip fix=safe
	return &resp, err
}

func save(path string, data []byte) error {
	return os.WriteFile(path, []byte(string(data)), 0o644) // want: go/string-bytes-roundtrip fix=safe
}

func digest(buf *bytes.Buffer) string {
	sum := sha256.Sum256([]byte(buf.String())) // want: go/string-bytes-roundtrip fix=safe
	return fmt.Sprintf("%x", sum[:4])
}

func keep(buf *bytes.Buffer) []byte {
	out := []byte(buf.String()) // want: go/string-bytes-roundtrip fix=unsafe
	buf.Reset()
	return out
}

func upper(data []byte) []byte {
	b := []byte(string(data)) // want: go/string-bytes-roundtrip fix=unsafe
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return b
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, fmt.Errorf("read failed") }

func show(name string, f func() string) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Printf("%s: panics: %v\n", name, r)
		}
	}()
	fmt.Printf("%s: returns %s\n", name, f())
}

func main() {
	dir, err := os.MkdirTemp("", "oracle-roundtrip-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	for _, text := range []string{"", `{"Status":"ok"}`, `{"Status":"ü","Items":["a","a"]}`, `{"Status":`, `null`} {
		show(fmt.Sprintf("decode(%q)", text), func() string {
			resp, err := decode(strings.NewReader(text))
			return fmt.Sprintf("%+v %v", *resp, err)
		})
		show(fmt.Sprintf("viaVariable(%q)", text), func() string {
			resp, err := viaVariable(strings.NewReader(text))
			return fmt.Sprintf("%+v %v", *resp, err)
		})
		show(fmt.Sprintf("digest(%q)", text), func() string { return digest(bytes.NewBufferString(text)) })
	}
	show("decode(failing reader)", func() string { _, err := decode(failing{}); return fmt.Sprint(err) })
	for i, data := range [][]byte{nil, []byte("x"), []byte("ü\x00")} {
		show(fmt.Sprintf("save(%q)", data), func() string {
			p := filepath.Join(dir, fmt.Sprint(i))
			err := save(p, data)
			got, _ := os.ReadFile(p)
			return fmt.Sprintf("%v %q", err, got)
		})
	}
	show("save(no folder)", func() string { return fmt.Sprint(save(filepath.Join(dir, "no", "file"), []byte("x")) != nil) })
	for _, text := range []string{"", "abc"} {
		show(fmt.Sprintf("keep(%q)", text), func() string {
			buf := bytes.NewBufferString(text)
			out := keep(buf)
			buf.WriteString("XY")
			return fmt.Sprintf("%q", out)
		})
		show(fmt.Sprintf("upper(%q)", text), func() string {
			data := []byte(text)
			up := upper(data)
			return fmt.Sprintf("%q from %q", up, data)
		})
	}
}
