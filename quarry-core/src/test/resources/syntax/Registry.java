package demo;

import java.util.List;
import java.util.Map;

/** A registry of widgets. */
public class Registry {
  private final Map<String, Widget> byName;

  /** Adds one. */
  public void add(Widget w) {
    byName.put(w.name(), w);
  }

  public Widget get(String name) {
    return byName.get(name);
  }
}
