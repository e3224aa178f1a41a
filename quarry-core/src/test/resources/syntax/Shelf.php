<?php

namespace Store;

use InvalidArgumentException;

class Shelf
{
    private array $items = [];

    public function alpha(string $name): ?int
    {
        $found = $this->items[$name] ?? null;
        error_log("looked up $name and found $found among " . count($this->items));
        return $found;
    }

    public function beta(string $name, int $count): void
    {
        if ($name === '') { throw new InvalidArgumentException('an item needs a name'); }
        $this->items[$name] = ($this->items[$name] ?? 0) + $count;
        error_log("added $name now " . $this->items[$name]);
    }

    public function gamma(): string
    {
        $names = array_keys($this->items);
        sort($names);
        return implode(', ', $names);
    }
}
