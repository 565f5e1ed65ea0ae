package io.redisbridge.source.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  /** A JSON number as written: integral or not, it is converted only once its target type is known. */
  record JsonNumber(String text) {
    boolean integral() {
      return text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
    }
  }

  private final String text;
  private int at;

  JsonReader(String text) {
    this.text = text;
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
      members(key -> {
        if (object.containsKey(key)) {
          throw duplicateKey(key);
        }
        object.put(key, value(depth + 1));
      });
      return object;
    }
    if (c == '[') {
      checkDepth(depth + 1);
      List<Object> array = new ArrayList<>();
      elements(index -> array.add(value(depth + 1)));
      return array;
    }
    return scalar();
  }

  /** Reads a member's value, given its key. */
  @FunctionalInterface
  interface Member {
    void read(String key);
  }

  /** Reads an element, given its index. */
  @FunctionalInterface
  interface Element {
    void read(int index);
  }

  /** Reads the object the reader is at, handing each key to {@code member}, which reads the value. */
  void members(Member member) {
    at++;
    blanks();
    if (peek('}')) {
      at++;
      return;
    }
    while (true) {
      blanks();
      if (!peek('"')) {
        throw error("an object key must be a string in double quotes");
      }
      String key = string();
      blanks();
      expect(':');
      blanks();
      member.read(key);
      blanks();
      if (peek(',')) {
        at++;
      } else {
        expect('}');
        return;
      }
    }
  }

  /** Reads the array the reader is at, handing each index to {@code element}, which reads the value. */
  void elements(Element element) {
    at++;
    blanks();
    if (peek(']')) {
      at++;
      return;
    }
    for (int index = 0; ; index++) {
      blanks();
      element.read(index);
      blanks();
      if (peek(',')) {
        at++;
      } else {
        expect(']');
        return;
      }
    }
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
    for (int end = at; end < text.length(); end++) {
      char c = text.charAt(end);
      if (c == '"') {
        String plain = text.substring(at, end);
        at = end + 1;
        return plain;
      }
      if (c == '\\' || c < 0x20) {
        break;
      }
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
    int start = at;
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
    return new JsonNumber(text.substring(start, at));
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
