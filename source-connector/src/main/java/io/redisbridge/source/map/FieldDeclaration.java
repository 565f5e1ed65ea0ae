package io.redisbridge.source.map;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of {@code value.struct.fields}: {@code name[:type[~]][!]}, e.g. {@code order_id!},
 * {@code customer_id:int64}, {@code amount:decimal(10,2)!}, {@code total:float64~}. Without a type the field is
 * a string; {@code ~} after a number type takes any number form ({@link FieldType}); with a trailing {@code !}
 * it is required, and an entry without it is a dead letter.
 */
public record FieldDeclaration(String name, FieldType type, boolean required) {

  private static final Pattern AVRO_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * The declarations of a {@code value.struct.fields} list. Connect splits the list at every comma, so the
   * parts of {@code decimal(10,2)} are joined again first.
   *
   * @throws IllegalArgumentException naming the part that is wrong and why
   */
  public static List<FieldDeclaration> parseAll(List<String> items) {
    List<String> joined = new ArrayList<>();
    StringBuilder open = null;
    for (String item : items) {
      if (open != null) {
        open.append(',').append(item);
        if (item.contains(")")) {
          joined.add(open.toString());
          open = null;
        }
      } else if (item.contains("(") && !item.contains(")")) {
        open = new StringBuilder(item);
      } else {
        joined.add(item);
      }
    }
    if (open != null) {
      throw new IllegalArgumentException("'" + open.toString().trim() + "' has no closing parenthesis");
    }
    List<FieldDeclaration> declarations = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (String text : joined) {
      if (text.isBlank()) {
        continue;
      }
      FieldDeclaration declaration = parse(text);
      if (!names.add(declaration.name())) {
        throw new IllegalArgumentException("'" + declaration.name() + "' is declared twice");
      }
      declarations.add(declaration);
    }
    return declarations;
  }

  private static FieldDeclaration parse(String text) {
    String declaration = text.trim();
    boolean required = declaration.endsWith("!");
    if (required) {
      declaration = declaration.substring(0, declaration.length() - 1).trim();
    }
    int colon = declaration.indexOf(':');
    String name = (colon < 0 ? declaration : declaration.substring(0, colon)).trim();
    if (!AVRO_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("'" + name + "' in '" + text.trim() + "' is not a valid Avro field name "
          + "(letters, digits and _, not starting with a digit)");
    }
    if (name.equals(EntryRecordMapper.FIELDS_MAP)) {
      throw new IllegalArgumentException("'fields' is the struct's own map of undeclared fields");
    }
    FieldType type = colon < 0 ? FieldType.STRING : FieldType.parse(declaration.substring(colon + 1));
    return new FieldDeclaration(name, type, required);
  }

  @Override
  public String toString() {
    return name + (type.kind() == FieldType.Kind.STRING ? "" : ":" + type) + (required ? "!" : "");
  }
}
