// Fix oracle program for go/range-int-unavailable: ranging over an integer, for code that targets Go 1.21.
//
// The original runs in a module at the toolchain's go line (ranging over an int needs Go 1.22); the fixed program
// runs in a module at go 1.21, with that version's semantics (one variable per three-clause loop).
package main

import (
	"fmt"
	"strings"
)

const attempts = 3

type Job struct{ Name string }

type ID uint16

func literal() []int {
	var out []int
	for i := range 4 { // want: go/range-int-unavailable fix=safe
		out = append(out, i*i)
	}
	return out
}

func param(n int) int {
	total := 0
	for i := range n { // want: go/range-int-unavailable fix=safe
		total += i
	}
	return total
}

func constant() string {
	s := ""
	for range attempts { // want: go/range-int-unavailable fix=safe
		s += "try;"
	}
	return s
}

func names(jobs []Job) []string {
	var out []string
	for i := range len(jobs) { // want: go/range-int-unavailable fix=safe
		out = append(out, jobs[i].Name)
	}
	return out
}

func typed(n ID) string {
	s := ""
	for i := range n { // want: go/range-int-unavailable fix=safe
		s = fmt.Sprintf("%s%T%d,", s, i, i)
	}
	return s
}

func early(n int, stop int) (int, bool) {
	for i := range n { // want: go/range-int-unavailable fix=safe
		if i == stop {
			return i, true
		}
	}
	return -1, false
}

func shrinking(count int) []int {
	var out []int
	for i := range count { // want: go/range-int-unavailable fix=unsafe
		count--
		out = append(out, i)
	}
	return out
}

func captured(n int) []int {
	var fs []func() int
	for i := range n { // want: go/range-int-unavailable fix=unsafe
		fs = append(fs, func() int { return i })
	}
	var out []int
	for _, f := range fs {
		out = append(out, f())
	}
	return out
}

func addressed(n int) []int {
	var ps []*int
	for i := range n { // want: go/range-int-unavailable fix=unsafe
		ps = append(ps, &i)
	}
	var out []int
	for _, p := range ps {
		out = append(out, *p)
	}
	return out
}

func lastIndex(n int) int {
	i := -1
	for i = range n { // want: go/range-int-unavailable fix=unsafe
	}
	return i
}

func firstOver(n, limit int) int {
	var i int
	for i = range n { // want: go/range-int-unavailable fix=unsafe
		if i*i > limit {
			break
		}
	}
	return i
}

func show(name string, f func() any) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Printf("%s: panics: %v\n", name, r)
		}
	}()
	fmt.Printf("%s: returns %v\n", name, f())
}

func main() {
	show("literal()", func() any { return literal() })
	show("constant()", func() any { return constant() })
	for _, n := range []int{-2, 0, 1, 5} {
		show(fmt.Sprintf("param(%d)", n), func() any { return param(n) })
		show(fmt.Sprintf("shrinking(%d)", n), func() any { return shrinking(n) })
		show(fmt.Sprintf("captured(%d)", n), func() any { return captured(n) })
		show(fmt.Sprintf("addressed(%d)", n), func() any { return addressed(n) })
		show(fmt.Sprintf("lastIndex(%d)", n), func() any { return lastIndex(n) })
		show(fmt.Sprintf("firstOver(%d, 3)", n), func() any { return firstOver(n, 3) })
		show(fmt.Sprintf("early(%d, 2)", n), func() any { i, ok := early(n, 2); return fmt.Sprint(i, ok) })
	}
	for _, jobs := range [][]Job{nil, {{"a"}, {"ü"}, {"a"}}} {
		show(fmt.Sprintf("names(%d jobs)", len(jobs)), func() any { return strings.Join(names(jobs), ",") })
	}
	for _, n := range []ID{0, 2} {
		show(fmt.Sprintf("typed(%d)", n), func() any { return typed(n) })
	}
}
