package io.tracegql.graphql;

import jakarta.enterprise.context.ApplicationScoped;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.graphql.errors.InvalidInputException;

/** Checks page sizes against the configured maximum. */
@ApplicationScoped
class Paging {

    private final TracegqlConfig.Page config;

    Paging(TracegqlConfig config) {
        this.config = config.page();
    }

    int pageSize(Integer first) {
        if (first == null) {
            return config.defaultSize();
        }
        if (first < 1 || first > config.maxSize()) {
            throw new InvalidInputException(
                    "first must be between 1 and " + config.maxSize() + " (the maximum page size), got " + first);
        }
        return first;
    }
}
