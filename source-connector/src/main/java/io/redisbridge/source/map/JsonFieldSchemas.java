package io.redisbridge.source.map;

import io.redisbridge.common.mapping.ConnectValueText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Timestamp;

/**
 * {@code value.json.schemas}: the Avro schema of each {@code json} field of a struct value, as a JSON
 * object from field name to schema (inline, or in a file the property names), turned into Connect
 * schemas. The Avro a schema registry then stores for the field is the schema the user wrote: records
 * keep their names and field order, so {@code items} arrives as an array of records.
 *
 * <p>Supported: records, arrays, maps, a union of null with one type (an optional field), int, long,
 * float, double, boolean, string, decimal (bytes with precision and scale) and timestamp-millis (long).
 * Anything else is refused with the path to it: JSON text has no bytes, and enums, fixed and named
 * references have no Connect schema that gives the same Avro back.
 */
public final class JsonFieldSchemas {

  private static final Pattern AVRO_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private JsonFieldSchemas() {
  }

  /**
   * The Connect schema of each field the property names; empty when it is blank.
   *
   * @throws IllegalArgumentException naming the field and the part of its schema that is wrong
   */
  public static Map<String, Schema> parse(String property) {
    String text = property == null ? "" : property.trim();
    if (text.isEmpty()) {
      return Map.of();
    }
    if (!text.startsWith("{") && !text.startsWith("[")) {
      try {
        text = Files.readString(Path.of(text), StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("neither a JSON object nor a readable file: " + text + " (" + e + ")");
      }
    }
    if (!(JsonReader.parse(text) instanceof Map<?, ?> fields)) {
      throw new IllegalArgumentException("expected a JSON object from field name to Avro schema");
    }
    Map<String, Schema> schemas = new LinkedHashMap<>();
    for (Map.Entry<?, ?> field : fields.entrySet()) {
      String name = (String) field.getKey();
      Schema schema = schema(field.getValue(), name).build();
      if (schema.type() != Schema.Type.STRUCT && schema.type() != Schema.Type.ARRAY
          && schema.type() != Schema.Type.MAP) {
        throw refused(name, "a json field holds a record, an array or a map; a single value is declared with its "
            + "own type in value.struct.fields");
      }
      schemas.put(name, schema);
    }
    return schemas;
  }

  private static SchemaBuilder schema(Object avro, String path) {
    if (avro instanceof String primitive) {
      return primitive(primitive, Map.of(), path);
    }
    if (avro instanceof List<?> union) {
      return optional(union, path);
    }
    if (!(avro instanceof Map<?, ?> complex)) {
      throw refused(path, "a schema is a type name, an object with \"type\", or a union list");
    }
    Object type = complex.get("type");
    if (!(type instanceof String typeName)) {
      if (type instanceof Map<?, ?> || type instanceof List<?>) {
        return schema(type, path);
      }
      throw refused(path, "the schema object has no \"type\"");
    }
    return switch (typeName) {
      case "record" -> record(complex, path);
      case "array" -> SchemaBuilder.array(schema(required(complex, "items", path), path + "[]").build());
      case "map" -> SchemaBuilder.map(Schema.STRING_SCHEMA,
          schema(required(complex, "values", path), path + "{}").build());
      default -> primitive(typeName, complex, path);
    };
  }

  private static SchemaBuilder primitive(String type, Map<?, ?> attributes, String path) {
    Object logical = attributes.get("logicalType");
    if ("bytes".equals(type) && "decimal".equals(logical)) {
      int precision = integer(attributes.get("precision"), "precision", path);
      int scale = attributes.containsKey("scale") ? integer(attributes.get("scale"), "scale", path) : 0;
      if (precision < 1 || scale > precision) {
        throw refused(path, "decimal needs 1 <= precision and scale <= precision");
      }
      return Decimal.builder(scale).parameter("connect.decimal.precision", Integer.toString(precision));
    }
    if ("long".equals(type) && "timestamp-millis".equals(logical)) {
      // Epoch milliseconds in the JSON, written back as a number.
      return Timestamp.builder().parameter(ConnectValueText.TEXT_FORMAT_PARAMETER, "epoch_millis");
    }
    if (logical != null) {
      throw refused(path, "logicalType " + logical + " on " + type + " is not supported; decimal on bytes and "
          + "timestamp-millis on long are");
    }
    return switch (type) {
      case "int" -> SchemaBuilder.int32();
      case "long" -> SchemaBuilder.int64();
      case "float" -> SchemaBuilder.float32();
      case "double" -> SchemaBuilder.float64();
      case "boolean" -> SchemaBuilder.bool();
      case "string" -> SchemaBuilder.string();
      case "bytes" -> throw refused(path, "JSON text has no bytes; use string");
      case "null" -> throw refused(path, "null alone holds nothing; use a union [\"null\", type]");
      case "enum", "fixed" -> throw refused(path, type + " is not supported; use string");
      default -> throw refused(path, "'" + type + "' is not an Avro type, or refers to a named type: write the "
          + "type out in full where it is used");
    };
  }

  private static SchemaBuilder optional(List<?> union, String path) {
    long nulls = union.stream().filter("null"::equals).count();
    if (union.size() != 2 || nulls != 1) {
      throw refused(path, "a union must be null and one type, e.g. [\"null\", \"string\"]: an optional field");
    }
    Object type = union.get(0).equals("null") ? union.get(1) : union.get(0);
    return schema(type, path).optional();
  }

  private static SchemaBuilder record(Map<?, ?> record, String path) {
    Object name = record.get("name");
    if (!(name instanceof String recordName) || !AVRO_NAME.matcher(recordName).matches()) {
      throw refused(path, "a record needs a \"name\" that is an Avro name");
    }
    Object namespace = record.get("namespace");
    SchemaBuilder struct = SchemaBuilder.struct()
        .name(namespace instanceof String space && !space.isBlank() ? space + "." + recordName : recordName);
    if (!(record.get("fields") instanceof List<?> fields)) {
      throw refused(path, "a record needs \"fields\", a list");
    }
    for (Object item : fields) {
      if (!(item instanceof Map<?, ?> field) || !(field.get("name") instanceof String fieldName)
          || !AVRO_NAME.matcher(fieldName).matches()) {
        throw refused(path, "each field of record " + recordName + " needs a \"name\" that is an Avro name");
      }
      if (field.containsKey("default")) {
        throw refused(path + "." + fieldName, "defaults are not supported: a missing field is null when its type "
            + "is a union with null, and a dead letter when not");
      }
      if (struct.field(fieldName) != null) {
        throw refused(path + "." + fieldName, "declared twice");
      }
      struct.field(fieldName, schema(required(field, "type", path + "." + fieldName), path + "." + fieldName).build());
    }
    return struct;
  }

  private static Object required(Map<?, ?> object, String key, String path) {
    Object value = object.get(key);
    if (value == null) {
      throw refused(path, "needs \"" + key + "\"");
    }
    return value;
  }

  private static int integer(Object value, String what, String path) {
    if (value instanceof JsonReader.JsonNumber number && number.integral()) {
      try {
        return Integer.parseInt(number.text());
      } catch (NumberFormatException e) {
        throw refused(path, what + " is out of range");
      }
    }
    throw refused(path, "decimal needs an integer " + what);
  }

  private static IllegalArgumentException refused(String path, String why) {
    return new IllegalArgumentException("the schema of " + path + ": " + why);
  }
}
