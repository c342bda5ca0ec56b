// Shared helpers for the Go rule benchmarks: each rule's file times its flagged shape against its fixed shape
// at several sizes (sub-benchmarks named <shape>/n=<size>) and has a test that both shapes agree.
package bench

import (
	"fmt"
	"testing"
)

// shapes runs one sub-benchmark per shape and size; run.py reads the ns/op of each.
func shapes(b *testing.B, sizes []int, flagged, fixed func(b *testing.B, n int)) {
	for _, n := range sizes {
		n := n
		b.Run(fmt.Sprintf("flagged/n=%d", n), func(b *testing.B) { flagged(b, n) })
		b.Run(fmt.Sprintf("fixed/n=%d", n), func(b *testing.B) { fixed(b, n) })
	}
}

// sink keeps results alive so the compiler cannot drop the work.
var sink interface{}
