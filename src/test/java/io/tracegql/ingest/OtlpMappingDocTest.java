package io.tracegql.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's table of OTLP attribute rules lists the rules of {@link OtlpAttributes}, in their order. */
class OtlpMappingDocTest {

    private static final String START = "<!-- otlp-attributes -->";
    private static final String END = "<!-- /otlp-attributes -->";
    /** An attribute key in backticks; one followed by a colon names a detail or metadata entry instead. */
    private static final Pattern KEY = Pattern.compile("`([a-z0-9_]+(?:\\.[a-z0-9_]+)*)`(?!:)");

    @Test
    void shouldListEveryAttributeRuleInPrecedenceOrder() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String table = readme.substring(readme.indexOf(START) + START.length(), readme.indexOf(END));
        List<String> documented = new ArrayList<>();
        for (String row :
                table.lines().filter(line -> line.startsWith("| ")).skip(1).toList()) {
            String[] columns = row.split(" \\| ", 2);
            Matcher key = KEY.matcher(columns[1]);
            while (key.find()) {
                documented.add(key.group(1));
            }
        }

        assertEquals(OtlpAttributes.RULES.stream().map(OtlpAttributes.Rule::key).toList(), documented);
    }
}
