// go/string-concat-in-loop: building a string from n 16-byte pieces with += vs. a strings.Builder.
package bench

import (
	"strings"
	"testing"
)

// unit: appends
var concatSizes = []int{100, 1000, 10000}

func pieces(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "0123456789abcdef"
	}
	return out
}

func concatFlagged(parts []string) string {
	s := ""
	for _, p := range parts {
		s += p
	}
	return s
}

func concatFixed(parts []string) string {
	var sb strings.Builder
	for _, p := range parts {
		sb.WriteString(p)
	}
	return sb.String()
}

func TestStringConcatInLoop(t *testing.T) {
	for _, n := range concatSizes {
		if concatFlagged(pieces(n)) != concatFixed(pieces(n)) {
			t.Fatalf("shapes disagree at n=%d", n)
		}
	}
}

func BenchmarkStringConcatInLoop(b *testing.B) {
	run := func(f func([]string) string) func(*testing.B, int) {
		return func(b *testing.B, n int) {
			p := pieces(n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				sink = f(p)
			}
		}
	}
	shapes(b, concatSizes, run(concatFlagged), run(concatFixed))
}
