// go/loop-invariant-conversion: strconv.Itoa(tenant) on each of n iterations vs. once before the loop.
package bench

import (
	"reflect"
	"strconv"
	"testing"
)

// unit: iterations
var conversionSizes = []int{100, 10000}

func ids(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = strconv.Itoa(i)
	}
	return out
}

func keysFlagged(tenant int, ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, strconv.Itoa(tenant)+"/"+id)
	}
	return out
}

func keysFixed(tenant int, ids []string) []string {
	out := make([]string, 0, len(ids))
	tenantStr := strconv.Itoa(tenant)
	for _, id := range ids {
		out = append(out, tenantStr+"/"+id)
	}
	return out
}

func TestLoopInvariantConversion(t *testing.T) {
	for _, n := range conversionSizes {
		if !reflect.DeepEqual(keysFlagged(1234567, ids(n)), keysFixed(1234567, ids(n))) {
			t.Fatalf("shapes disagree at n=%d", n)
		}
	}
}

func BenchmarkLoopInvariantConversion(b *testing.B) {
	run := func(f func(int, []string) []string) func(*testing.B, int) {
		return func(b *testing.B, n int) {
			in := ids(n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				sink = f(1234567, in)
			}
		}
	}
	shapes(b, conversionSizes, run(keysFlagged), run(keysFixed))
}
