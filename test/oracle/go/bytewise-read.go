// Fix oracle program for go/bytewise-read: streams read one byte at a time.
//
// Each case reads from a fresh file (or a reader over one), and after the function returns reads what is left
// of the stream: the fix's bufio.Reader reads ahead, so what is left can differ.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

func countLines(f *os.File) (int, error) {
	lines := 0
	one := make([]byte, 1)
	for {
		n, err := f.Read(one) // want: go/bytewise-read fix=unsafe
		if n == 1 && one[0] == '\n' {
			lines++
		}
		if err == io.EOF {
			return lines, nil
		}
		if err != nil {
			return lines, err
		}
	}
}

func untilNewline(r *os.File) ([]byte, error) {
	var line []byte
	var b [1]byte
	for {
		if _, err := io.ReadFull(r, b[:]); err != nil { // want: go/bytewise-read fix=unsafe
			return line, err
		}
		if b[0] == '\n' {
			return line, nil
		}
		line = append(line, b[0])
	}
}

func lineLength(f *os.File) int {
	one := make([]byte, 1)
	n := 0
	for {
		if _, err := f.Read(one); err != nil { // want: go/bytewise-read fix=unsafe
			return n
		}
		n++
		if one[0] == '\n' {
			break
		}
	}
	return n
}

var dir string

// open writes text to a fresh file and opens it.
func open(name, text string) *os.File {
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		panic(err)
	}
	f, err := os.Open(p)
	if err != nil {
		panic(err)
	}
	return f
}

func rest(r io.Reader) string {
	b, err := io.ReadAll(r)
	if err != nil {
		return "error " + err.Error()
	}
	return fmt.Sprintf("%q", b)
}

func show(name string, f func() string) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Printf("%s: panics: %v\n", name, r)
		}
	}()
	fmt.Printf("%s: returns %s\n", name, f())
}

func main() {
	var err error
	dir, err = os.MkdirTemp("", "oracle-bytewise-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	inputs := []string{"", "a", "a\nb\n", "ü\n\nlast", "no newline"}
	for i, text := range inputs {
		show(fmt.Sprintf("countLines(%q)", text), func() string {
			f := open(fmt.Sprintf("c%d", i), text)
			defer f.Close()
			n, err := countLines(f)
			return fmt.Sprintf("%d %v, left %s", n, err, rest(f))
		})
		show(fmt.Sprintf("untilNewline(%q)", text), func() string {
			f := open(fmt.Sprintf("u%d", i), text)
			defer f.Close()
			line, err := untilNewline(f)
			return fmt.Sprintf("%q %v, left %s", line, err, rest(f))
		})
		show(fmt.Sprintf("lineLength(%q)", text), func() string {
			f := open(fmt.Sprintf("l%d", i), text)
			defer f.Close()
			return fmt.Sprintf("%d, left %s", lineLength(f), rest(f))
		})
	}
	show("countLines(closed file)", func() string {
		f := open("closed", "x\n")
		f.Close()
		n, err := countLines(f)
		return fmt.Sprintf("%d %v", n, err != nil)
	})
}
