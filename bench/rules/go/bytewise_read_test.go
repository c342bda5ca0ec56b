// go/bytewise-read: counting newlines in an n-byte file read one byte per Read call vs. through a bufio.Reader.
package bench

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// unit: bytes
var bytewiseSizes = []int{4 << 10, 256 << 10}

func textFile(t testing.TB, n int) string {
	path := filepath.Join(t.TempDir(), "data.txt")
	line := []byte("a line of text in a log file\n")
	data := bytes.Repeat(line, n/len(line)+1)[:n]
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func countFlagged(f *os.File) int {
	lines := 0
	one := make([]byte, 1)
	for {
		n, err := f.Read(one)
		if n == 1 && one[0] == '\n' {
			lines++
		}
		if err != nil {
			return lines
		}
	}
}

func countFixed(f *os.File) int {
	lines := 0
	one := make([]byte, 1)
	br := bufio.NewReader(f)
	for {
		n, err := br.Read(one)
		if n == 1 && one[0] == '\n' {
			lines++
		}
		if err != nil {
			return lines
		}
	}
}

func countIn(t testing.TB, path string, count func(*os.File) int) int {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return count(f)
}

func TestBytewiseRead(t *testing.T) {
	for _, n := range bytewiseSizes {
		path := textFile(t, n)
		if countIn(t, path, countFlagged) != countIn(t, path, countFixed) {
			t.Fatalf("shapes disagree at n=%d", n)
		}
	}
	_ = io.EOF
}

func BenchmarkBytewiseRead(b *testing.B) {
	run := func(count func(*os.File) int) func(*testing.B, int) {
		return func(b *testing.B, n int) {
			path := textFile(b, n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				sink = countIn(b, path, count)
			}
		}
	}
	shapes(b, bytewiseSizes, run(countFlagged), run(countFixed))
}
