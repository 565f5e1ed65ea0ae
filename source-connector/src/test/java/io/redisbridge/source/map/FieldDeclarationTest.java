package io.redisbridge.source.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldDeclarationTest {

  @Test
  void namesTypesAndRequiredFieldsAsWrittenWithTheCommaOfADecimalInside() {
    // Connect splits a LIST property at every comma, the one inside decimal(10,2) too.
    List<FieldDeclaration> declarations = FieldDeclaration.parseAll(List.of("order_id!", " customer_id : int64",
        "amount:decimal(10", "2)!", "paid:BOOLEAN", "note"));

    assertThat(declarations).extracting(FieldDeclaration::toString)
        .containsExactly("order_id!", "customer_id:int64", "amount:decimal(10,2)!", "paid:boolean", "note");
    assertThat(declarations.get(2).type().precision()).isEqualTo(10);
    assertThat(declarations.get(2).type().scale()).isEqualTo(2);
    assertThat(declarations.get(4).required()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "amount:decimal(10          | 'amount:decimal(10' has no closing parenthesis",
      "customer_id:int128         | 'int128' is not a type",
      "9lives                     | '9lives' in '9lives' is not a valid Avro field name",
      "order-id:int64             | 'order-id' in 'order-id:int64' is not a valid Avro field name",
      "fields                     | 'fields' is the struct's own map",
      "a:int64;a                  | 'a' is declared twice"})
  void aMalformedDeclarationIsRefusedNamingTheBadPart(String list, String message) {
    assertThatThrownBy(() -> FieldDeclaration.parseAll(List.of(list.split(";"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }
}
