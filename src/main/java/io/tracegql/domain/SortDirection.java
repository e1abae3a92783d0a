package io.tracegql.domain;

public enum SortDirection {
    ASC,
    DESC
}
