// Fix oracle program for go/loop-invariant-conversion: string conversions of loop-invariant values in loops.
package main

import (
	"fmt"
	"strconv"
	"strings"
)

type ID struct{ hi, lo uint64 }

func (id ID) String() string { return fmt.Sprintf("%04x-%04x", id.hi, id.lo) }

// Counter's String has an effect: it counts its calls.
type Counter struct{ calls *int }

func (c Counter) String() string {
	*c.calls++
	return "counter"
}

func keys(tenant int, ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, strconv.Itoa(tenant)+"/"+id) // want: go/loop-invariant-conversion fix=safe
	}
	return out
}

func labels(region string, shard int64, names []string) []string {
	var out []string
	for _, n := range names {
		prefix := fmt.Sprintf("%s-%d", region, shard) // want: go/loop-invariant-conversion fix=safe
		out = append(out, prefix+n)
	}
	return out
}

func nested(rows [][]int, width int) []string {
	var out []string
	for _, row := range rows {
		for _, v := range row {
			out = append(out, strconv.FormatInt(int64(v), 10)+"/"+strconv.Itoa(width)) // want: go/loop-invariant-conversion fix=safe
		}
	}
	return out
}

func quoted(label string, words []string) []string {
	var out []string
	for _, w := range words {
		out = append(out, w+"="+strconv.Quote(label)) // want: go/loop-invariant-conversion fix=safe
	}
	return out
}

// Calls written over several lines: hoisted with each line indented for where it goes.
func spread(region string, shard int64, names []string) []string {
	var out []string
	for _, n := range names {
		// want: go/loop-invariant-conversion fix=safe
		prefix := fmt.Sprintf(
			"%s-%d:",
			region,
			shard,
		)
		out = append(out,
			prefix+n,
			// want: go/loop-invariant-conversion fix=safe
			strconv.FormatInt(shard,
				16),
		)
	}
	return out
}

func quotedOver(label string, words []string) []string {
	var out []string
	for _, w := range words {
		out = append(out, w+"="+strconv.Quote( // want: go/loop-invariant-conversion fix=safe
			label,
		))
	}
	return out
}

// Not flagged: the loop changes tenant through a pointer, or a function literal, made before it.
func bumped(tenant int, ids []string) []string {
	p := &tenant
	var out []string
	for _, id := range ids {
		out = append(out, strconv.Itoa(tenant)+"/"+id)
		*p++
	}
	return out
}

func stepped(tenant int, ids []string) []string {
	next := func() { tenant += 10 }
	var out []string
	for _, id := range ids {
		out = append(out, strconv.Itoa(tenant)+"/"+id)
		next()
	}
	return out
}

func poll(execID ID, tries int, check func(string) bool) int {
	for attempt := 0; attempt < tries; attempt++ {
		if check(execID.String()) { // want: go/loop-invariant-conversion fix=unsafe
			return attempt
		}
	}
	return -1
}

func tagged(c fmt.Stringer, n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		out = append(out, c.String()+strconv.Itoa(i)) // want: go/loop-invariant-conversion fix=unsafe
	}
	return out
}

func show(name string, f func() any) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Printf("%s: panics: %v\n", name, r)
		}
	}()
	fmt.Printf("%s: returns %q\n", name, f())
}

func main() {
	for _, ids := range [][]string{nil, {"a"}, {"a", "b", "a", "ü"}} {
		show(fmt.Sprintf("keys(%q)", ids), func() any { return keys(-7, ids) })
		show(fmt.Sprintf("labels(%q)", ids), func() any { return labels("eu", 3, ids) })
		show(fmt.Sprintf("quoted(%q)", ids), func() any { return quoted("tab\there é", ids) })
		show(fmt.Sprintf("spread(%q)", ids), func() any { return spread("eu", -42, ids) })
		show(fmt.Sprintf("quotedOver(%q)", ids), func() any { return quotedOver("line\nbreak", ids) })
		show(fmt.Sprintf("bumped(%q)", ids), func() any { return bumped(1, ids) })
		show(fmt.Sprintf("stepped(%q)", ids), func() any { return stepped(1, ids) })
	}
	for _, rows := range [][][]int{nil, {{1}}, {{1, 2}, {}, {-3}}} {
		show(fmt.Sprintf("nested(%v)", rows), func() any { return nested(rows, 80) })
	}
	id := ID{hi: 1, lo: 0xbeef}
	for _, tries := range []int{0, 1, 5} {
		show(fmt.Sprintf("poll(tries %d)", tries), func() any {
			seen := 0
			got := poll(id, tries, func(s string) bool { seen++; return seen == 3 && strings.HasSuffix(s, "beef") })
			return fmt.Sprint(got, " after ", seen)
		})
	}
	for _, n := range []int{0, 1, 3} {
		show(fmt.Sprintf("tagged(counter, %d)", n), func() any {
			calls := 0
			out := tagged(Counter{&calls}, n)
			return fmt.Sprint(out, " String called ", calls)
		})
	}
	show("tagged(nil pointer, 0)", func() any {
		var p *ID
		return tagged(p, 0)
	})
}
