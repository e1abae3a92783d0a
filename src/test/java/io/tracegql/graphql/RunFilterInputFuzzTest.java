package io.tracegql.graphql;

import java.io.IOException;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.microprofile.graphql.NonNull;

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

    /**
     * Whether every field and list item declared {@code @NonNull} has a value, as GraphQL's coercion
     * of variables makes sure before a resolver runs.
     */
    private static boolean nonNullHeld(Object input) {
        if (input == null || !input.getClass().getName().startsWith(RunFilterInput.class.getName())) {
            return true;
        }
        for (Field field : input.getClass().getFields()) {
            Object value;
            try {
                value = field.get(input);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            if (value == null) {
                if (field.isAnnotationPresent(NonNull.class)) {
                    return false;
                }
                continue;
            }
            if (value instanceof List<?> items) {
                boolean itemsNonNull = field.getAnnotatedType() instanceof AnnotatedParameterizedType type
                        && type.getAnnotatedActualTypeArguments()[0].isAnnotationPresent(NonNull.class);
                for (Object item : items) {
                    if ((item == null && itemsNonNull) || !nonNullHeld(item)) {
                        return false;
                    }
                }
            } else if (!nonNullHeld(value)) {
                return false;
            }
        }
        return true;
    }

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
        if (filter != null && !nonNullHeld(filter)) {
            return;
        }
        try {
            assertNotNull(RunFilters.toDomain(filter, expression));
        } catch (InvalidInputException e) {
            Fuzzing.assertClearMessage(e);
        }
    }
}
