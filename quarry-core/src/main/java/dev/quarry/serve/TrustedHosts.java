package dev.quarry.serve;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/**
 * The names a request may use for this server, in its {@code Host} and {@code Origin} headers.
 *
 * <p>Why: a web page can make a browser send a request to {@code 127.0.0.1:8080} (a "simple"
 * cross-site request), or point a name of its own at it (DNS rebinding). Such a request names a
 * foreign host or comes from a foreign origin; a real client names the server as it reached it: a
 * loopback name, the address the server is bound to or, on a wildcard address, any address or name
 * of this machine.
 */
public final class TrustedHosts {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final Set<String> names = new HashSet<>();
  private final Set<InetAddress> addresses = new HashSet<>();
  private final IntSupplier port;

  private TrustedHosts(IntSupplier port) {
    this.port = port;
  }

  /**
   * The hosts trusted for a server bound to {@code bound}; {@code port} gives the port it listens
   * on (known once it listens, when {@code bound} asks for any free port).
   */
  public static TrustedHosts of(InetSocketAddress bound, IntSupplier port) {
    TrustedHosts hosts = new TrustedHosts(port);
    hosts.names.add("localhost");
    hosts.addresses.add(InetAddress.getLoopbackAddress());
    hosts.addresses.add(literal("127.0.0.1"));
    hosts.addresses.add(literal("::1"));
    InetAddress ip = bound.getAddress();
    if (ip != null && ip.isAnyLocalAddress()) {
      hosts.addMachine();
    } else if (ip != null) {
      hosts.addresses.add(ip);
    }
    hosts.names.add(bound.getHostString().toLowerCase(Locale.ROOT));
    return hosts;
  }

  /** Every address of this machine's interfaces, and its host name. */
  private void addMachine() {
    try {
      for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
        nic.inetAddresses().forEach(addresses::add);
      }
    } catch (SocketException e) {
      // Without the list, the loopback names still work.
    }
    try {
      InetAddress self = InetAddress.getLocalHost();
      names.add(self.getHostName().toLowerCase(Locale.ROOT));
      names.add(self.getCanonicalHostName().toLowerCase(Locale.ROOT));
    } catch (UnknownHostException e) {
      // A machine without a resolvable name: addresses only.
    }
  }

  /**
   * Whether a {@code Host} header's value names this server (a missing one does: only old clients
   * omit it, never a browser).
   */
  public boolean allowsHost(String host) {
    if (host == null) {
      return true;
    }
    String value = host.strip();
    String name;
    if (value.startsWith("[")) {
      int end = value.indexOf(']');
      if (end < 0) {
        return false;
      }
      name = value.substring(1, end);
      if (!name.contains(":")) {
        return false;
      }
    } else {
      int colon = value.lastIndexOf(':');
      name = colon < 0 ? value : value.substring(0, colon);
    }
    return allowsName(name);
  }

  /**
   * Whether an {@code Origin} header's value is this server's own origin (a missing one is: only
   * browsers send it, and only cross-site ones matter; {@code null} is not).
   */
  public boolean allowsOrigin(String origin) {
    if (origin == null) {
      return true;
    }
    URI uri;
    try {
      uri = new URI(origin.strip());
    } catch (URISyntaxException e) {
      return false;
    }
    if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      return false;
    }
    int originPort = uri.getPort() < 0 ? 80 : uri.getPort();
    String name = uri.getHost();
    if (name.startsWith("[") && name.endsWith("]")) {
      name = name.substring(1, name.length() - 1);
    }
    return originPort == port.getAsInt() && allowsName(name);
  }

  private boolean allowsName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.contains(":") || IPV4.matcher(lower).matches()) {
      InetAddress ip = literal(lower);
      return ip != null && addresses.contains(ip);
    }
    return !lower.isEmpty() && names.contains(lower);
  }

  /** An IP literal as an address, without a name lookup; null when it is not one. */
  private static InetAddress literal(String text) {
    String value = text;
    int scope = value.indexOf('%');
    if (scope >= 0) {
      value = value.substring(0, scope);
    }
    if (!value.contains(":") && !IPV4.matcher(value).matches()) {
      return null;
    }
    try {
      // A literal (checked above) is parsed, never looked up.
      return InetAddress.getByName(value);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
