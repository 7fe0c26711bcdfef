package jp.kofu.gateway.routing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import jp.kofu.issuer.spi.AdapterContext;
import jp.kofu.issuer.spi.IssuerAdapter;
import jp.kofu.issuer.spi.IssuerAdapterFactory;
import jp.kofu.issuer.spi.SpiVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds issuer-adapter factories with {@link ServiceLoader}, on the class path and in a plugins
 * directory, and creates adapters by kind.
 *
 * <p>In the plugins directory, each {@code *.jar} is one plugin, and each subdirectory is one plugin
 * made of all the jars in it (the adapter and the libraries it brings). Every plugin gets its own
 * {@link URLClassLoader} whose parent is the gateway's loader seen through {@link PublicApiOnly}: of
 * kofu, a plugin sees the public API alone (the issuer-api artifact, {@code jp.kofu.issuer.spi} and
 * its subpackages), so a plugin that links against kofu's internals fails when it is loaded, not
 * after kofu changes them. Two plugins can bring different versions of the same library without
 * meeting. Loaders stay open for the gateway's lifetime ({@link #close}).
 *
 * <p>Checked when loading, not at the first copier: every factory's SPI version ({@link
 * SpiVersion#canHost}), and that no two factories claim the same kind.
 */
public final class AdapterFactories implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdapterFactories.class);

  /** A factory and where it came from (a jar path, or "class path"). */
  public record Found(IssuerAdapterFactory factory, String origin) {}

  private final Map<String, Found> byKind;
  private final List<URLClassLoader> pluginLoaders;

  private AdapterFactories(Map<String, Found> byKind, List<URLClassLoader> pluginLoaders) {
    this.byKind = byKind;
    this.pluginLoaders = List.copyOf(pluginLoaders);
  }

  /** The factories visible to {@code loader}. */
  public static AdapterFactories discover(ClassLoader loader) {
    return discover(loader, null);
  }

  /**
   * The factories visible to {@code loader}, and those of the plugins in {@code pluginsDir} (none
   * when null or absent).
   *
   * @throws IllegalArgumentException a plugin that cannot be loaded, speaks another SPI version, or
   *     claims a kind already taken
   */
  public static AdapterFactories discover(ClassLoader loader, Path pluginsDir) {
    Map<String, Found> byKind = new LinkedHashMap<>();
    List<URLClassLoader> loaders = new ArrayList<>();
    try {
      for (IssuerAdapterFactory f : load(loader, "class path")) {
        add(byKind, new Found(f, "class path"));
      }
      if (pluginsDir != null && Files.isDirectory(pluginsDir)) {
        for (Path plugin : plugins(pluginsDir)) {
          URLClassLoader pluginLoader = new URLClassLoader("kofu-plugin:" + plugin.getFileName(), urls(plugin), new PublicApiOnly(loader));
          loaders.add(pluginLoader);
          List<IssuerAdapterFactory> found = new ArrayList<>();
          // Only the factories this plugin brings: the parent's are already registered.
          for (IssuerAdapterFactory f : load(pluginLoader, plugin.toString())) {
            if (f.getClass().getClassLoader() == pluginLoader) {
              found.add(f);
            }
          }
          if (found.isEmpty()) {
            String serviceFile = "META-INF/services/" + IssuerAdapterFactory.class.getName();
            log.warn("plugin {}: no {} entry; ignored", plugin, serviceFile);
          }
          for (IssuerAdapterFactory f : found) {
            add(byKind, new Found(f, plugin.toString()));
            log.info("plugin {}: adapter kind '{}' (SPI {})", plugin.getFileName(), f.kind(), f.spiVersion());
          }
        }
      }
    } catch (RuntimeException e) {
      closeAll(loaders);
      throw e;
    }
    return new AdapterFactories(byKind, loaders);
  }

  /**
   * The gateway's class loader as a plugin sees it: kofu's classes only of the public API ({@value
   * #PUBLIC_API}*), none of kofu's service registrations, everything else (the JDK, libraries)
   * unchanged.
   */
  static final class PublicApiOnly extends ClassLoader {
    static final String PUBLIC_API = "jp.kofu.issuer.spi.";

    static {
      registerAsParallelCapable();
    }

    PublicApiOnly(ClassLoader gateway) {
      super("kofu-public-api", gateway);
    }

    static boolean internal(String className) {
      return className.startsWith("jp.kofu.") && !className.startsWith(PUBLIC_API);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (internal(name)) {
        throw new ClassNotFoundException(name + " is internal to kofu: a plugin may use " + PUBLIC_API + "* only (kofu-issuer-api)");
      }
      return super.loadClass(name, resolve);
    }

    @Override
    public java.net.URL getResource(String name) {
      return hidden(name) ? null : super.getResource(name);
    }

    @Override
    public java.util.Enumeration<java.net.URL> getResources(String name) throws java.io.IOException {
      return hidden(name) ? java.util.Collections.emptyEnumeration() : super.getResources(name);
    }

    /** kofu's own classes as resources, and its ServiceLoader registrations (the built-in adapters). */
    private static boolean hidden(String name) {
      if (name.startsWith("META-INF/services/jp.kofu.")) {
        return true;
      }
      return name.endsWith(".class") && internal(name.replace('/', '.'));
    }
  }

  private static List<IssuerAdapterFactory> load(ClassLoader loader, String origin) {
    List<IssuerAdapterFactory> out = new ArrayList<>();
    try {
      ServiceLoader.load(IssuerAdapterFactory.class, loader).forEach(out::add);
    } catch (ServiceConfigurationError | LinkageError e) {
      throw new IllegalArgumentException("issuer adapter plugin " + origin + ": cannot be loaded (" + e.getMessage() + ")", e);
    }
    return out;
  }

  private static void add(Map<String, Found> byKind, Found found) {
    IssuerAdapterFactory f = found.factory();
    SpiVersion theirs;
    try {
      theirs = SpiVersion.parse(f.spiVersion());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("adapter kind '" + f.kind() + "' from " + found.origin() + ": " + e.getMessage());
    }
    if (!SpiVersion.CURRENT.canHost(theirs)) {
      throw new IllegalArgumentException(
          "adapter kind '" + f.kind() + "' from " + found.origin() + " implements SPI " + theirs
              + " (expected: " + SpiVersion.CURRENT.major() + ".0 to " + SpiVersion.CURRENT + ")");
    }
    Found before = byKind.putIfAbsent(f.kind(), found);
    if (before != null && before.factory().getClass() != f.getClass()) {
      throw new IllegalArgumentException(
          "adapter kind '" + f.kind() + "' is provided twice: by " + before.origin() + " and by " + found.origin());
    }
  }

  private static List<Path> plugins(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .filter(p -> Files.isDirectory(p) || p.getFileName().toString().endsWith(".jar"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("plugins directory " + dir, e);
    }
  }

  private static URL[] urls(Path plugin) {
    List<Path> jars;
    if (Files.isDirectory(plugin)) {
      try (Stream<Path> entries = Files.list(plugin)) {
        jars = entries.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
      } catch (IOException e) {
        throw new UncheckedIOException("plugin directory " + plugin, e);
      }
    } else {
      jars = List.of(plugin);
    }
    URL[] urls = new URL[jars.size()];
    for (int i = 0; i < urls.length; i++) {
      try {
        urls[i] = jars.get(i).toUri().toURL();
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException("plugin " + jars.get(i) + ": " + e.getMessage());
      }
    }
    return urls;
  }

  public List<IssuerAdapterFactory> factories() {
    return byKind.values().stream().map(Found::factory).toList();
  }

  /** Every kind found, with where it came from. */
  public Map<String, Found> kinds() {
    return Map.copyOf(byKind);
  }

  public IssuerAdapter create(String kind, AdapterContext context) {
    Found found = byKind.get(kind);
    if (found == null) {
      throw new IllegalArgumentException("no issuer adapter of kind '" + kind + "' (found: " + byKind.keySet() + ")");
    }
    IssuerAdapterFactory f = found.factory();
    // The plugin's own loader while it builds its adapter: libraries that look up resources or
    // services through the context class loader find the plugin's, not the gateway's.
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    thread.setContextClassLoader(f.getClass().getClassLoader());
    try {
      return f.create(context);
    } finally {
      thread.setContextClassLoader(before);
    }
  }

  /** Closes the plugins' class loaders; call after the adapters they made are closed. */
  @Override
  public void close() {
    closeAll(pluginLoaders);
  }

  private static void closeAll(List<URLClassLoader> loaders) {
    for (URLClassLoader l : loaders) {
      try {
        l.close();
      } catch (IOException e) {
        String loader = l.getName();
        log.warn("closing plugin loader {}: {}", loader, e.getMessage());
      }
    }
  }
}
