package io.tracegql.graphql;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tracegql.graphql.errors.InvalidInputException;
import io.tracegql.graphql.inputs.RunFilterInput;
import io.tracegql.support.Fuzzing;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * GraphQL variables for {@code runs(filter:, filterExpression:)}: a JSON object with the typed filter
 * under {@code filter} and the expression under {@code filterExpression}, bound to the input type
 * as variables are, then turned into one filter tree. The tree is built or refused with an
 * {@link InvalidInputException} ({@code BAD_USER_INPUT}) and a message; never another exception.
 */
class RunFilterInputFuzzTest {

    private static final ObjectMapper MAPPER =
            new ObjectMapper().findAndRegisterModules().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @FuzzTest(maxDuration = Fuzzing.LONG_RUN)
    void filterVariables(byte[] data) {
        RunFilterInput filter;
        String expression;
        try {
            JsonNode variables = MAPPER.readTree(new String(data, StandardCharsets.UTF_8));
            if (variables == null || !variables.isObject()) {
                return;
            }
            JsonNode typed = variables.get("filter");
            filter = typed == null || typed.isNull() ? null : MAPPER.treeToValue(typed, RunFilterInput.class);
            JsonNode text = variables.get("filterExpression");
            expression = text == null || !text.isTextual() ? null : text.asText();
        } catch (IOException | IllegalArgumentException e) {
            // Not variables of these types: GraphQL refuses them before any of the gateway's code runs.
            return;
        }
        try {
            assertNotNull(RunFilters.toDomain(filter, expression));
        } catch (InvalidInputException e) {
            Fuzzing.assertClearMessage(e);
        }
    }
}
