// go/string-bytes-roundtrip: json.Unmarshal([]byte(buf.String())) vs. json.Unmarshal(buf.Bytes()) of an n-byte document.
package bench

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// unit: bytes
var roundtripSizes = []int{1 << 10, 64 << 10, 1 << 20}

// document: a JSON object with one long string field, n bytes in all.
func document(n int) *bytes.Buffer {
	var buf bytes.Buffer
	buf.WriteString(`{"log":"`)
	buf.WriteString(strings.Repeat("x", n-10))
	buf.WriteString(`"}`)
	return &buf
}

type logDoc struct{ Log string }

func roundtripFlagged(buf *bytes.Buffer) logDoc {
	var d logDoc
	_ = json.Unmarshal([]byte(buf.String()), &d)
	return d
}

func roundtripFixed(buf *bytes.Buffer) logDoc {
	var d logDoc
	_ = json.Unmarshal(buf.Bytes(), &d)
	return d
}

func TestStringBytesRoundtrip(t *testing.T) {
	for _, n := range roundtripSizes {
		if !reflect.DeepEqual(roundtripFlagged(document(n)), roundtripFixed(document(n))) {
			t.Fatalf("shapes disagree at n=%d", n)
		}
	}
}

func BenchmarkStringBytesRoundtrip(b *testing.B) {
	run := func(f func(*bytes.Buffer) logDoc) func(*testing.B, int) {
		return func(b *testing.B, n int) {
			buf := document(n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				sink = f(buf)
			}
		}
	}
	shapes(b, roundtripSizes, run(roundtripFlagged), run(roundtripFixed))
}
