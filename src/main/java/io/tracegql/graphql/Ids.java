package io.tracegql.graphql;

import java.util.List;
import java.util.UUID;

import io.tracegql.domain.Uuids;
import io.tracegql.graphql.errors.InvalidInputException;

/** Parses ID arguments, which are UUIDs, into a clear error when they are not. */
public final class Ids {

    private Ids() {}

    public static UUID parse(String value, String argument) {
        if (value == null) {
            return null;
        }
        UUID id = Uuids.parseOrNull(value);
        if (id != null) {
            return id;
        }
        throw new InvalidInputException(
                argument + " must be a UUID such as 1b64098b-4ab7-43f6-afee-992304f198d8, got '" + value + "'");
    }

    static List<UUID> parseAll(List<String> values, String argument) {
        return values == null
                ? null
                : values.stream().map(v -> parse(v, argument)).toList();
    }
}
