package store

import java.util.TreeMap

class Shelf(private val items: MutableMap<String, Int> = TreeMap()) {

    fun alpha(name: String): Int? {
        val found = items[name]
        println("looked up $name and found $found among ${items.size}")
        return found
    }

    fun beta(name: String, count: Int) {
        require(name.isNotEmpty()) { "an item needs a name" }
        items[name] = (items[name] ?: 0) + count
        println("added $name now ${items[name]}")
    }

    fun gamma(): String {
        val names = items.keys.sorted()
        println("listing ${names.size} names")
        return names.joinToString(", ")
    }
}
