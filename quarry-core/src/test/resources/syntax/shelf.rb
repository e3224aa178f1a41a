require "set"

module Store
  class Shelf
    def initialize
      @items = {}
    end

    def alpha(name)
      found = @items[name]
      puts "looked up #{name} and found #{found} among #{@items.size}"
      found
    end

    def beta(name, count)
      raise ArgumentError, "an item needs a name" if name.nil? || name.empty?
      @items[name] = @items.fetch(name, 0) + count
      puts "added #{name} now #{@items[name]}"
    end

    def gamma
      names = @items.keys.sort
      puts "listing #{names.size} names in order"
      names.join(", ")
    end
  end
end
