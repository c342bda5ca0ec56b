// Fix oracle program for go/string-concat-in-loop: strings built with += across loop iterations.
package main

import (
	"fmt"
	"strconv"
	"strings"
)

type Row struct{ Cells []string }

func numbered(items []string) string {
	var out string
	for i, it := range items {
		out = out + strconv.Itoa(i) + ": " + it + "\n" // want: go/string-concat-in-loop fix=safe
	}
	return out
}

func seeded(prefix string, rows []Row) string {
	text := prefix
	for _, r := range rows {
		for _, c := range r.Cells {
			text += c // want: go/string-concat-in-loop fix=safe
		}
		text += "\n" // want: go/string-concat-in-loop fix=safe
	}
	return text
}

func perRow(rows []Row) []string {
	var lines []string
	for _, r := range rows {
		line := ""
		for _, c := range r.Cells {
			line += c + ";" // want: go/string-concat-in-loop fix=safe
		}
		lines = append(lines, line)
	}
	return lines
}

func labeled(groups [][]string) string {
	all := ""
outer:
	for _, g := range groups {
		for _, w := range g {
			if w == "" {
				continue outer
			}
			all += w // want: go/string-concat-in-loop fix=safe
		}
	}
	return all
}

func twoLoops(ins, outs []string) string {
	s := "INS:"
	for _, in := range ins {
		s += in // want: go/string-concat-in-loop fix=safe
	}
	s += "OUTS:"
	for _, out := range outs {
		s += out // want: go/string-concat-in-loop fix=safe
	}
	return s
}

func untilEmpty(words []string) string {
	s := ""
	for _, w := range words {
		s += w // want: go/string-concat-in-loop fix=safe
		if w == "" {
			break
		}
	}
	return s
}

// piece panics on a negative number, in the middle of the loop.
func piece(n int) string {
	if n < 0 {
		panic("negative: " + strconv.Itoa(n))
	}
	return strconv.Itoa(n)
}

func joined(nums []int) string {
	s := "["
	for _, n := range nums {
		s += piece(n) + " " // want: go/string-concat-in-loop fix=safe
	}
	return s + "]"
}

// Flagged, but no fix: a pointer to the string, and a function literal that sees it, read it during the loop.
func watched(words []string) string {
	s := ""
	p := &s
	for _, w := range words {
		s += w // want: go/string-concat-in-loop fix=none
		note("so far " + *p)
	}
	return s
}

func traced(words []string) string {
	s := ""
	trace := func() { note("so far " + s) }
	for _, w := range words {
		s += w // want: go/string-concat-in-loop fix=none
		trace()
	}
	return s
}

var notes []string

func note(s string) { notes = append(notes, s) }

func show(name string, f func() string) {
	notes = nil
	defer func() {
		if r := recover(); r != nil {
			fmt.Printf("%s: panics: %v%s\n", name, r, noted())
		}
	}()
	v := f()
	fmt.Printf("%s: returns %q%s\n", name, v, noted())
}

func noted() string {
	if len(notes) == 0 {
		return ""
	}
	return " | " + strings.Join(notes, "; ")
}

func main() {
	for _, in := range [][]string{nil, {"a"}, {"a", "é", "a", ""}} {
		show(fmt.Sprintf("numbered(%q)", in), func() string { return numbered(in) })
		show(fmt.Sprintf("untilEmpty(%q)", in), func() string { return untilEmpty(in) })
		show(fmt.Sprintf("twoLoops(%q)", in), func() string { return twoLoops(in, in) })
	}
	show("untilEmpty(stops)", func() string { return untilEmpty([]string{"a", "", "b"}) })
	for _, rows := range [][]Row{nil, {{}}, {{Cells: []string{"a", "b"}}, {}, {Cells: []string{"ü"}}}} {
		show(fmt.Sprintf("seeded(%v)", rows), func() string { return seeded("> ", rows) })
		show(fmt.Sprintf("perRow(%v)", rows), func() string { return fmt.Sprintf("%q", perRow(rows)) })
	}
	for _, g := range [][][]string{nil, {{"a", "", "b"}, {"c"}}, {{""}, {"d", "e"}}} {
		show(fmt.Sprintf("labeled(%q)", g), func() string { return labeled(g) })
	}
	for _, w := range [][]string{nil, {"a", "b"}} {
		show(fmt.Sprintf("watched(%q)", w), func() string { return watched(w) })
		show(fmt.Sprintf("traced(%q)", w), func() string { return traced(w) })
	}
	for _, nums := range [][]int{nil, {1, 2, 1}, {1, -2, 3}} {
		show(fmt.Sprintf("joined(%v)", nums), func() string { return joined(nums) })
	}
}
