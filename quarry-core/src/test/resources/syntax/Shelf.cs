using System;
using System.Collections.Generic;

namespace Store
{
    public class Shelf
    {
        private readonly Dictionary<string, int> items = new();

        public int alpha(string name)
        {
            if (items.TryGetValue(name, out var count)) return count;
            Console.WriteLine($"missing {name} among {items.Count}");
            return -1;
        }

        public void beta(string name, int count)
        {
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("an item needs a name");
            items[name] = items.GetValueOrDefault(name) + count;
            Console.WriteLine($"added {name} {items[name]}");
        }

        public string gamma()
        {
            var names = new List<string>(items.Keys);
            names.Sort(StringComparer.Ordinal);
            return string.Join(", ", names);
        }
    }
}
