import { log } from "./log.js";

export class Shelf {
  constructor(items) {
    this.items = items;
  }

  alpha(name) {
    const found = this.items.find((item) => item.name === name);
    log("looked up", name, found);
    return found ?? null;
  }

  beta(item) {
    if (!item || !item.name) throw new Error("an item needs a name");
    this.items.push(item);
    log("added", item.name, this.items.length);
  }

  gamma() {
    const names = this.items.map((item) => item.name);
    names.sort((a, b) => a.localeCompare(b));
    return names.join(", ");
  }
}
