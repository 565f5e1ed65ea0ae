package io.redisbridge.source.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;

/**
 * A strict JSON (RFC 8259) reader for the text of a {@code json} field and for {@code value.json.schemas}:
 * objects become insertion-ordered maps, arrays lists, numbers {@link JsonNumber}s holding their text, and
 * anything else JSON does not allow (a trailing comma, a single quote, a key twice, content after the
 * value) is refused with where and why. The plugin carries no JSON library of its own, and a worker's
 * Jackson is not ours to rely on.
 */
final class JsonReader {

  /** Deeper than this is refused rather than risking the poll thread's stack. */
  static final int MAX_DEPTH = 64;

  private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15};

  /** A JSON number as written: integral or not, it is converted only once its target type is known. */
  record JsonNumber(String text) {
    boolean integral() {
      return text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
    }
  }

  private final String text;
  private int at;
  private int lastKeyAt;
  private int numberStart;
  private int numberEnd;

  JsonReader(String text) {
    this(text, 0);
  }

  private JsonReader(String text, int at) {
    this.text = text;
    this.at = at;
  }

  /**
   * The value {@code text} holds: a Map, List, String, Boolean, {@link JsonNumber} or null.
   *
   * @throws IllegalArgumentException saying what is wrong and at which character
   */
  static Object parse(String text) {
    JsonReader reader = new JsonReader(text);
    reader.blanks();
    Object value = reader.value(0);
    reader.blanks();
    if (reader.at < text.length()) {
      throw reader.error("content after the JSON value");
    }
    return value;
  }

  /** The character the reader is at; throws when the text ends there. */
  char current() {
    if (at >= text.length()) {
      throw error("the text ends where a value should be");
    }
    return text.charAt(at);
  }

  /** Steps over the current character. */
  void skip() {
    at++;
  }

  /** Throws unless only blanks are left. */
  void end() {
    blanks();
    if (at < text.length()) {
      throw error("content after the JSON value");
    }
  }

  private Object value(int depth) {
    char c = current();
    if (c == '{') {
      checkDepth(depth + 1);
      Map<String, Object> object = new LinkedHashMap<>();
      for (boolean more = openObject(); more; more = nextMember()) {
        String key = key();
        if (object.containsKey(key)) {
          throw duplicateKey(key);
        }
        object.put(key, value(depth + 1));
      }
      return object;
    }
    if (c == '[') {
      checkDepth(depth + 1);
      List<Object> array = new ArrayList<>();
      for (boolean more = openArray(); more; more = nextElement()) {
        array.add(value(depth + 1));
      }
      return array;
    }
    return scalar();
  }

  // Objects and arrays are read with loops, not callbacks (the typed walker runs per entry, and a lambda per
  // object was garbage): for (boolean more = openObject(); more; more = nextMember()) { key(); the value }.

  /** Steps into the object the reader is at; false when it is empty (and already stepped over). */
  boolean openObject() {
    return open('}');
  }

  /** Steps into the array the reader is at; false when it is empty (and already stepped over). */
  boolean openArray() {
    return open(']');
  }

  private boolean open(char close) {
    at++;
    blanks();
    if (peek(close)) {
      at++;
      return false;
    }
    return true;
  }

  /** After a member's value: true at a comma (the next key follows), false at the closing brace. */
  boolean nextMember() {
    return next('}');
  }

  /** After an element: true at a comma (the next element follows), false at the closing bracket. */
  boolean nextElement() {
    return next(']');
  }

  private boolean next(char close) {
    blanks();
    if (peek(',')) {
      at++;
      blanks();
      return true;
    }
    expect(close);
    return false;
  }

  /** A member's key and its colon; the reader is then at the value. */
  String key() {
    keyStart();
    String key = string();
    keyEnd();
    return key;
  }

  /**
   * A member's key and its colon, as the index of the field of that name in {@code fields} (-1: none),
   * without making a string of it; {@link #lastKey()} gives the key's text when it is needed, for an error.
   */
  int keyAmong(List<Field> fields) {
    keyStart();
    lastKeyAt = at;
    int close = plainStringEnd(at + 1);
    if (close >= 0) {
      int length = close - at - 1;
      int index = -1;
      for (int i = 0; i < fields.size() && index < 0; i++) {
        String name = fields.get(i).name();
        if (name.length() == length && text.startsWith(name, at + 1)) {
          index = i;
        }
      }
      at = close + 1;
      keyEnd();
      return index;
    }
    // An escaped key, rare: decoded, then compared.
    String key = string();
    keyEnd();
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(key)) {
        return i;
      }
    }
    return -1;
  }

  /** The text of the key {@link #keyAmong} read last. */
  String lastKey() {
    return new JsonReader(text, lastKeyAt).string();
  }

  private void keyStart() {
    if (!peek('"')) {
      throw error("an object key must be a string in double quotes");
    }
  }

  private void keyEnd() {
    blanks();
    expect(':');
    blanks();
  }

  /** A string, number, true, false or null. */
  Object scalar() {
    char c = current();
    return switch (c) {
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> {
        if (c == '-' || c >= '0' && c <= '9') {
          yield number();
        }
        throw error("unexpected '" + c + "'");
      }
    };
  }

  IllegalArgumentException duplicateKey(String key) {
    return error("key '" + key + "' appears twice in one object; a map would keep only one");
  }

  String string() {
    at++;
    // Most strings have no escape: one substring, no per-character copying.
    int end = plainStringEnd(at);
    if (end >= 0) {
      String plain = text.substring(at, end);
      at = end + 1;
      return plain;
    }
    StringBuilder out = new StringBuilder();
    while (true) {
      if (at >= text.length()) {
        throw error("a string is not closed");
      }
      char c = text.charAt(at++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw error("a control character in a string must be escaped");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (at >= text.length()) {
        throw error("a string is not closed");
      }
      char escaped = text.charAt(at++);
      switch (escaped) {
        case '"', '\\', '/' -> out.append(escaped);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> out.append(unicodeEscape());
        default -> throw error("'\\" + escaped + "' is not a JSON escape");
      }
    }
  }

  /** Where the string whose text starts at {@code from} closes, or -1 if an escape or control comes first. */
  private int plainStringEnd(int from) {
    for (int end = from; end < text.length(); end++) {
      char c = text.charAt(end);
      if (c == '"') {
        return end;
      }
      if (c == '\\' || c < 0x20) {
        return -1;
      }
    }
    return -1;
  }

  private char unicodeEscape() {
    if (at + 4 > text.length()) {
      throw error("\\u needs four hex digits");
    }
    int code = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(text.charAt(at++), 16);
      if (digit < 0) {
        throw error("\\u needs four hex digits");
      }
      code = code * 16 + digit;
    }
    return (char) code;
  }

  JsonNumber number() {
    skipNumber();
    return new JsonNumber(numberText());
  }

  /**
   * Steps over the number the reader is at, checked as strictly as {@link #number()}, leaving it for
   * {@link #numberText()}, {@link #numberAsLong()} and {@link #numberAsDouble()} to read in place (no string
   * per number: the typed walker reads several per entry). True when it has neither point nor exponent.
   */
  boolean skipNumber() {
    int start = at;
    numberStart = start;
    if (peek('-')) {
      at++;
    }
    if (peek('0')) {
      at++;
    } else if (!digits()) {
      throw error("a number needs digits");
    }
    if (peek('.')) {
      at++;
      if (!digits()) {
        throw error("a number needs digits after the point");
      }
    }
    if (peek('e') || peek('E')) {
      at++;
      if (peek('+') || peek('-')) {
        at++;
      }
      if (!digits()) {
        throw error("a number needs digits in its exponent");
      }
    }
    numberEnd = at;
    for (int i = start; i < at; i++) {
      char c = text.charAt(i);
      if (c == '.' || c == 'e' || c == 'E') {
        return false;
      }
    }
    return true;
  }

  /** The text of the number {@link #skipNumber()} stepped over. */
  String numberText() {
    return text.substring(numberStart, numberEnd);
  }

  /**
   * The integral number {@link #skipNumber()} stepped over.
   *
   * @throws NumberFormatException when it is beyond 64 bits
   */
  long numberAsLong() {
    int i = numberStart;
    boolean negative = text.charAt(i) == '-';
    if (negative) {
      i++;
    }
    // Summed as a negative number, which reaches Long.MIN_VALUE.
    long value = 0;
    for (; i < numberEnd; i++) {
      int digit = text.charAt(i) - '0';
      if (value < (Long.MIN_VALUE + digit) / 10) {
        throw new NumberFormatException("beyond 64 bits");
      }
      value = value * 10 - digit;
    }
    if (!negative && value == Long.MIN_VALUE) {
      throw new NumberFormatException("beyond 64 bits");
    }
    return negative ? value : -value;
  }

  /** The number {@link #skipNumber()} stepped over, as the double nearest to it (as Double.parseDouble). */
  double numberAsDouble() {
    // Up to 15 digits and no exponent: digits and power of ten are both exact doubles, so one division
    // rounds once, to the same double the parse gives (Clinger's fast path); anything else is parsed.
    long digits = 0;
    int count = 0;
    int afterPoint = -1;
    int i = numberStart;
    boolean negative = text.charAt(i) == '-';
    if (negative) {
      i++;
    }
    for (; i < numberEnd; i++) {
      char c = text.charAt(i);
      if (c == '.') {
        afterPoint = 0;
      } else if (c < '0' || c > '9' || ++count > 15) {
        return Double.parseDouble(numberText());
      } else {
        digits = digits * 10 + (c - '0');
        if (afterPoint >= 0) {
          afterPoint++;
        }
      }
    }
    double value = afterPoint > 0 ? digits / POWERS_OF_TEN[afterPoint] : digits;
    return negative ? -value : value;
  }

  private boolean digits() {
    int start = at;
    while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
      at++;
    }
    return at > start;
  }

  Object literal(String word, Object value) {
    if (!text.startsWith(word, at)) {
      throw error("unexpected '" + text.charAt(at) + "'");
    }
    at += word.length();
    return value;
  }

  void checkDepth(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH + " levels");
    }
  }

  void blanks() {
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      at++;
    }
  }

  boolean peek(char c) {
    return at < text.length() && text.charAt(at) == c;
  }

  void expect(char c) {
    if (!peek(c)) {
      throw error(at < text.length() ? "expected '" + c + "', found '" + text.charAt(at) + "'"
          : "expected '" + c + "', found the end of the text");
    }
    at++;
  }

  IllegalArgumentException error(String what) {
    return new IllegalArgumentException("not JSON: " + what + " at character " + (at + 1));
  }
}
