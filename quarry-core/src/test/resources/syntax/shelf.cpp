#include <map>
#include <string>

namespace store {

class Shelf {
 public:
  int alpha(const std::string& name) const {
    auto found = items_.find(name);
    if (found == items_.end()) return -1;
    return found->second;
  }

  void beta(const std::string& name, int count) {
    if (name.empty()) throw std::invalid_argument("an item needs a name");
    items_[name] += count;
    total_ += count;
  }

  std::string gamma() const {
    std::string out;
    for (const auto& [name, count] : items_) out += name + ", ";
    return out;
  }

 private:
  std::map<std::string, int> items_;
  int total_ = 0;
};

}  // namespace store
