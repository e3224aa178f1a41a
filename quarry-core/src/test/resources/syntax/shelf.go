package shelf

import (
	"fmt"
	"sort"
)

// Shelf holds items by name.
type Shelf struct {
	items map[string]int
}

func (s *Shelf) alpha(name string) (int, bool) {
	count, ok := s.items[name]
	fmt.Println("looked up", name, count, ok)
	return count, ok
}

func (s *Shelf) beta(name string, count int) {
	if name == "" { panic("an item needs a name") }
	s.items[name] += count
	fmt.Println("added", name, s.items[name])
}

func (s *Shelf) gamma() []string {
	names := make([]string, 0, len(s.items))
	for name := range s.items { names = append(names, name) }
	sort.Strings(names)
	return names
}
