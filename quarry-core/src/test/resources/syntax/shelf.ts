import { log } from "./log";

interface Item {
  name: string;
}

export class Shelf {
  private items: Item[] = [];

  alpha(name: string): Item | undefined {
    const found = this.items.find((item) => item.name === name);
    log("looked up", name, found);
    return found;
  }

  beta(item: Item): void {
    if (!item.name) throw new Error("an item needs a name");
    this.items.push(item);
    log("added", item.name, this.items.length);
  }

  gamma(): string {
    const names = this.items.map((item) => item.name);
    names.sort((a, b) => a.localeCompare(b));
    return names.join(", ");
  }
}
