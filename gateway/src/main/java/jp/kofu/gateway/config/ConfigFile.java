package jp.kofu.gateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A configuration file as read: the {@link GatewayConfig}, where each key was written (so that an
 * error names the file and line), and the environment's overrides.
 *
 * <p>Environment rule: every key can be set by {@code KOFU_} and its path in capitals, with dots,
 * dashes and list indices turned into underscores: {@code journal.url} is {@code KOFU_JOURNAL_URL},
 * {@code secrets.session.file} is {@code KOFU_SECRETS_SESSION_FILE}, {@code
 * adapters[0].settings.database-url} is {@code KOFU_ADAPTERS_0_SETTINGS_DATABASE_URL}. A list of
 * values (e.g. {@code trust.terminal-cas}) is comma-separated. The environment wins over the file.
 * A secret's {@code value} (base64) is accepted only from the environment, never from the file.
 */
public final class ConfigFile {
  private final Path file;
  private final GatewayConfig config;
  private final Map<String, Integer> lines;
  private final Map<String, String> fromEnvironment;

  private ConfigFile(Path file, GatewayConfig config, Map<String, Integer> lines, Map<String, String> fromEnvironment) {
    this.file = file;
    this.config = config;
    this.lines = lines;
    this.fromEnvironment = fromEnvironment;
  }

  public static ConfigFile load(Path file) {
    return load(file, System.getenv());
  }

  /** Reads {@code file}, applies the {@code KOFU_*} variables of {@code environment}, validates. */
  public static ConfigFile load(Path file, Map<String, String> environment) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file (expected: a kofu-gateway.yaml, see docs/CONFIGURATION.md)");
    } catch (IOException e) {
      throw new ConfigException(file + ": unreadable (" + e.getClass().getSimpleName() + ")");
    }
    ObjectMapper yaml = GatewayConfig.yaml();
    Map<String, Integer> lines = new HashMap<>();
    JsonNode tree;
    try {
      lines = lines(yaml, text);
      tree = yaml.readTree(text);
    } catch (IOException e) {
      throw new ConfigException(file + ": not YAML (" + firstLine(e.getMessage()) + ")");
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw new ConfigException(file + ": empty");
    }
    if (!(tree instanceof ObjectNode root)) {
      throw new ConfigException(file + ":1: expected a mapping of keys (see docs/CONFIGURATION.md)");
    }
    ConfigFile partial = new ConfigFile(file, null, lines, new HashMap<>());
    for (String section : List.of("session", "journal")) {
      JsonNode key = root.path("secrets").path(section);
      List<String> where = new ArrayList<>();
      if (key.has("value")) {
        where.add("secrets." + section + ".value");
      }
      for (int i = 0; i < key.path("previous").size(); i++) {
        if (key.path("previous").path(i).has("value")) {
          where.add("secrets." + section + ".previous[" + i + "].value");
        }
      }
      for (String k : where) {
        throw partial.located(
            new ConfigException(
                k, "a secret written in the configuration file (expected: file: PATH to an owner-only file, or " + envName(k) + " in the environment)"));
      }
    }
    Map<String, String> fromEnv = new HashMap<>();
    overlay(root, environment, fromEnv, partial);
    GatewayConfig raw;
    ConfigFile located = new ConfigFile(file, null, lines, fromEnv);
    try {
      raw = yaml.treeToValue(root, GatewayConfig.class);
    } catch (UnrecognizedPropertyException e) {
      String key = key(e.getPath());
      List<String> known = e.getKnownPropertyIds().stream().map(String::valueOf).toList();
      throw located.located(new ConfigException(key, "unknown key" + Suggestions.hint(e.getPropertyName(), known)));
    } catch (JsonMappingException e) {
      throw located.located(new ConfigException(key(e.getPath()), firstLine(e.getOriginalMessage())));
    } catch (IOException e) {
      throw new ConfigException(file + ": " + firstLine(e.getMessage()));
    }
    if (raw == null) {
      throw new ConfigException(file + ": empty");
    }
    try {
      return new ConfigFile(file, raw.normalized(file.toAbsolutePath().getParent()), lines, fromEnv);
    } catch (ConfigException e) {
      throw located.located(e);
    }
  }

  public Path file() {
    return file;
  }

  public GatewayConfig config() {
    return config;
  }

  /** {@code e} with its place in front: "FILE:LINE: key: problem" (or the environment variable). */
  public ConfigException located(ConfigException e) {
    String key = e.key();
    if (key == null) {
      return new ConfigException(file + ": " + e.getMessage());
    }
    for (String k = key; k != null; k = parent(k)) {
      String env = fromEnvironment.get(k);
      if (env != null) {
        return new ConfigException(file + " (" + env + " from the environment): " + e.getMessage());
      }
    }
    for (String k = key; k != null; k = parent(k)) {
      Integer line = lines.get(k);
      if (line != null) {
        return new ConfigException(file + ":" + line + ": " + e.getMessage());
      }
    }
    return new ConfigException(file + ": " + e.getMessage());
  }

  private static String parent(String key) {
    int cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('['));
    return cut <= 0 ? null : key.substring(0, cut);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String key(List<JsonMappingException.Reference> path) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : path) {
      if (r.getFieldName() != null) {
        if (!b.isEmpty()) {
          b.append('.');
        }
        b.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  /** Each key's line (1-based), keys written as in error messages: {@code a.b[0].c}. */
  private static Map<String, Integer> lines(ObjectMapper yaml, String text) throws IOException {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser p = yaml.getFactory().createParser(text)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        JsonStreamContext ctx = p.getParsingContext();
        String path;
        if (t == JsonToken.FIELD_NAME) {
          path = path(ctx);
        } else if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          path = ctx.getParent() != null && ctx.getParent().inArray() ? path(ctx.getParent()) : null;
        } else {
          path = ctx.inArray() ? path(ctx) : null;
        }
        if (path != null && !path.isEmpty()) {
          lines.putIfAbsent(path, p.currentTokenLocation().getLineNr());
        }
      }
    }
    return lines;
  }

  private static String path(JsonStreamContext ctx) {
    if (ctx == null || ctx.inRoot()) {
      return "";
    }
    String parent = path(ctx.getParent());
    if (ctx.inObject()) {
      return parent.isEmpty() ? ctx.getCurrentName() : parent + "." + ctx.getCurrentName();
    }
    return parent + "[" + ctx.getCurrentIndex() + "]";
  }

  /** The environment variable of {@code key}: {@code adapters[0].settings.database-url} is KOFU_ADAPTERS_0_SETTINGS_DATABASE_URL. */
  public static String envName(String key) {
    return "KOFU_" + key.replace("[", "_").replace("]", "").replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  // ---- environment overrides

  private static void overlay(ObjectNode root, Map<String, String> env, Map<String, String> fromEnv, ConfigFile partial) {
    List<String> sections = new ArrayList<>();
    List<String> known = new ArrayList<>();
    for (RecordComponent c : GatewayConfig.class.getRecordComponents()) {
      sections.add(envPart(name(c)));
      leafNames(c.getGenericType(), name(c), known, 0);
    }
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String var = e.getKey();
      if (!var.startsWith("KOFU_")) {
        continue;
      }
      String rest = var.substring("KOFU_".length());
      List<Object> path = match(GatewayConfig.class, rest);
      if (path == null) {
        boolean ours = sections.stream().anyMatch(s -> rest.equals(s) || rest.startsWith(s + "_"));
        if (ours) {
          List<String> names = known.stream().map(ConfigFile::envName).toList();
          throw new ConfigException(partial.file + ": environment variable " + var + ": no such key" + Suggestions.hint(var, names));
        }
        continue;
      }
      String key = set(root, path, e.getValue());
      fromEnv.put(key, var);
    }
  }

  private static String name(RecordComponent c) {
    com.fasterxml.jackson.annotation.JsonProperty p = c.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
    if (p != null && !p.value().isEmpty()) {
      return p.value();
    }
    return c.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  private static String envPart(String name) {
    return name.replace('-', '_').toUpperCase(Locale.ROOT);
  }

  private static boolean isLeaf(Type t) {
    if (t instanceof Class<?> c) {
      return c == String.class || c == Path.class || c == Duration.class || Number.class.isAssignableFrom(c) || c == Boolean.class
          || c.isPrimitive();
    }
    if (t instanceof ParameterizedType p && p.getRawType() == List.class) {
      return isLeaf(p.getActualTypeArguments()[0]);
    }
    return false;
  }

  private static void leafNames(Type t, String prefix, List<String> out, int depth) {
    if (depth > 4) {
      return;
    }
    if (isLeaf(t)) {
      out.add(prefix);
    } else if (t instanceof Class<?> c && c.isRecord()) {
      for (RecordComponent rc : c.getRecordComponents()) {
        leafNames(rc.getGenericType(), prefix + "." + name(rc), out, depth + 1);
      }
    } else if (t instanceof ParameterizedType p && p.getRawType() == List.class) {
      leafNames(p.getActualTypeArguments()[0], prefix + "[0]", out, depth + 1);
    } else if (t instanceof ParameterizedType p && p.getRawType() == Map.class) {
      out.add(prefix + ".NAME");
    }
  }

  /** The path {@code rest} (KOFU_ stripped) names under type {@code t}, or null. */
  private static List<Object> match(Type t, String rest) {
    if (t instanceof Class<?> c && c.isRecord()) {
      for (RecordComponent rc : c.getRecordComponents()) {
        String env = envPart(name(rc));
        Type ct = rc.getGenericType();
        if (rest.equals(env) && isLeaf(ct)) {
          return new ArrayList<>(List.of(name(rc)));
        }
        if (rest.startsWith(env + "_")) {
          List<Object> sub = match(ct, rest.substring(env.length() + 1));
          if (sub != null) {
            sub.add(0, name(rc));
            return sub;
          }
        }
      }
      return null;
    }
    if (t instanceof ParameterizedType p && p.getRawType() == List.class && !isLeaf(t)) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,3})_(.+)").matcher(rest);
      if (!m.matches()) {
        return null;
      }
      List<Object> sub = match(p.getActualTypeArguments()[0], m.group(2));
      if (sub != null) {
        sub.add(0, Integer.parseInt(m.group(1)));
      }
      return sub;
    }
    if (t instanceof ParameterizedType p && p.getRawType() == Map.class) {
      return new ArrayList<>(List.of(rest.toLowerCase(Locale.ROOT).replace('_', '-')));
    }
    return null;
  }

  /** Puts {@code value} at {@code path} (a list leaf is split at commas); returns the key. */
  private static String set(ObjectNode root, List<Object> path, String value) {
    JsonNode node = root;
    StringBuilder key = new StringBuilder();
    for (int i = 0; i < path.size(); i++) {
      Object seg = path.get(i);
      boolean last = i == path.size() - 1;
      Object next = last ? null : path.get(i + 1);
      if (seg instanceof String name) {
        key.append(key.isEmpty() ? "" : ".").append(name);
        ObjectNode obj = (ObjectNode) node;
        if (last) {
          obj.set(name, leaf(value, root, path));
          break;
        }
        JsonNode child = obj.get(name);
        if (child == null || child.isNull() || (next instanceof Integer ? !child.isArray() : !child.isObject())) {
          child = next instanceof Integer ? obj.putArray(name) : obj.putObject(name);
        }
        node = child;
      } else {
        int index = (Integer) seg;
        key.append('[').append(index).append(']');
        ArrayNode arr = (ArrayNode) node;
        while (arr.size() <= index) {
          arr.addObject();
        }
        node = arr.get(index);
      }
    }
    return key.toString();
  }

  private static JsonNode leaf(String value, ObjectNode root, List<Object> path) {
    if (isListLeaf(path)) {
      ArrayNode a = root.arrayNode();
      for (String part : value.split(",")) {
        if (!part.isBlank()) {
          a.add(part.strip());
        }
      }
      return a;
    }
    return TextNode.valueOf(value);
  }

  private static boolean isListLeaf(List<Object> path) {
    Type t = GatewayConfig.class;
    for (Object seg : path) {
      if (seg instanceof Integer) {
        t = ((ParameterizedType) t).getActualTypeArguments()[0];
        continue;
      }
      if (t instanceof Class<?> c && c.isRecord()) {
        Type found = null;
        for (RecordComponent rc : c.getRecordComponents()) {
          if (name(rc).equals(seg)) {
            found = rc.getGenericType();
          }
        }
        t = found;
      } else {
        return false;
      }
      if (t == null) {
        return false;
      }
    }
    return t instanceof ParameterizedType p && p.getRawType() == List.class && isLeaf(t);
  }
}
