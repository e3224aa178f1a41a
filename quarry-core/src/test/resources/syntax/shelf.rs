use std::collections::HashMap;

/// Items by name.
pub struct Shelf {
    items: HashMap<String, u32>,
}

impl Shelf {
    pub fn alpha(&self, name: &str) -> Option<u32> {
        let found = self.items.get(name).copied();
        println!("looked up {} {:?}", name, found);
        found
    }

    pub fn beta(&mut self, name: &str, count: u32) {
        assert!(!name.is_empty(), "an item needs a name");
        *self.items.entry(name.to_string()).or_insert(0) += count;
        println!("added {} {}", name, self.items[name]);
    }

    pub fn gamma(&self) -> Vec<String> {
        let mut names: Vec<String> = self.items.keys().cloned().collect();
        names.sort();
        names
    }
}
