package io.tracegql.store;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;

import io.tracegql.domain.DottedOrder;
import io.tracegql.domain.RunField;
import io.tracegql.domain.RunStatus;
import io.tracegql.domain.RunType;
import io.tracegql.store.JsonRead.Kind;
import io.tracegql.store.JsonRead.Member;

/**
 * Answers a {@link JsonRead} with one statement whose one value is the JSON text of the answer's data:
 * objects are {@code json_build_object} in the order of their members, lists {@code json_agg} in the
 * order the batched loaders return them, nested levels subqueries of the run above them, jsonb columns
 * embedded as stored, and times, enums and cursors written as the Java types that the general path
 * answers with write them ({@link JavaText}, {@link RunCursor#encodeSql}). Pages are the statements
 * of {@link RunStore#pageQuery}, with this JSON as their select list; the page's paths are checked before
 * any row is read, as {@link RunSelection} has them checked.
 */
@ApplicationScoped
public class CompiledReads {

    /** json_build_object takes at most 100 arguments: 50 members. */
    private static final int MAX_MEMBERS = 50;

    private final Sql sql;

    public CompiledReads(Sql sql) {
        this.sql = sql;
    }

    /**
     * The JSON of the data of these root fields as one statement writes it, in UTF-8: the bytes the
     * answer carries, never decoded into a string (a page's JSON is tens of kilobytes).
     */
    public Uni<Buffer> read(UUID tenantId, List<JsonRead.Root> roots) {
        SqlBuilder query = statement(tenantId, roots);
        return sql.read(query.sql(), query.tuple()).map(rows -> {
            Row row = rows.iterator().next();
            return row.getBuffer("data").getDelegate();
        });
    }

    /** The statement of {@link #read}; visible to the store's tests. */
    static SqlBuilder statement(UUID tenantId, List<JsonRead.Root> roots) {
        Statement statement = new Statement(tenantId);
        // Read as bytea, the client hands the text over as the bytes the database sent.
        SqlBuilder query = statement.sql.append("select convert_to(json_build_object(");
        checkSize(roots.size());
        for (int i = 0; i < roots.size(); i++) {
            JsonRead.Root root = roots.get(i);
            query.append(i == 0 ? "" : ", ").append(literal(root.key())).append(", ");
            statement.root(root);
        }
        query.append(")::text, 'UTF8') as data");
        // As the run statements do: an invalid path fails the statement even when no run is read.
        for (int i = 0; i < statement.paths.size(); i++) {
            query.append(i == 0 ? " where " : " and ")
                    .param(statement.paths.get(i), "text")
                    .append("::jsonpath is not null");
        }
        return query;
    }

    private static void checkSize(int members) {
        if (members > MAX_MEMBERS) {
            throw new UnsupportedOperationException("an object of more than " + MAX_MEMBERS + " members");
        }
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** One statement being built: its SQL, the paths it uses, and the run aliases handed out. */
    private static final class Statement {
        final SqlBuilder sql = new SqlBuilder();
        final UUID tenantId;
        final List<String> paths = new ArrayList<>();
        int aliases;

        Statement(UUID tenantId) {
            this.tenantId = tenantId;
        }

        void root(JsonRead.Root root) {
            if (root instanceof JsonRead.RunById byId) {
                sql.append("(select ");
                run("r", byId.members());
                sql.append(" from runs r where r.tenant_id = ")
                        .param(tenantId, "uuid")
                        .append(" and r.id = ")
                        .param(byId.id(), "uuid")
                        .append(")");
            } else if (root instanceof JsonRead.Trace trace) {
                sql.append("coalesce((select json_agg(");
                run("r", trace.members());
                sql.append(" order by r.dotted_order) from runs r where r.tenant_id = ")
                        .param(tenantId, "uuid")
                        .append(" and r.trace_id = ")
                        .param(trace.traceId(), "uuid")
                        .append("), '[]'::json)");
            } else if (root instanceof JsonRead.ProjectByKey byKey) {
                String project = nextProjectAlias();
                sql.append("(select ");
                project(project, byKey.members());
                sql.append(" from projects ")
                        .append(project)
                        .append(" where ")
                        .append(project)
                        .append(".tenant_id = ")
                        .param(tenantId, "uuid");
                if (byKey.id() != null) {
                    sql.append(" and ").append(project).append(".id = ").param(byKey.id(), "uuid");
                } else {
                    sql.append(" and ").append(project).append(".name = ").param(byKey.name(), "text");
                }
                sql.append(")");
            } else if (root instanceof JsonRead.ProjectPage page) {
                projectPage(page);
            } else if (root instanceof JsonRead.Text text) {
                sql.append(literal(text.text()));
            } else {
                page((JsonRead.RunPage) root);
            }
        }

        /** A connection of runs: the rows of {@link RunStore#pageQuery}, by the cursor of its order. */
        private void page(JsonRead.RunPage page) {
            String cursor = RunCursor.encodeSql(page.sortField(), page.direction(), "r");
            connection(page.members(), page.first(), "r", cursor, members -> run("r", members), select -> {
                sql.append("(");
                RunStore.pageQuery(
                        sql,
                        tenantId,
                        page.filter(),
                        page.sortField(),
                        page.direction(),
                        page.first(),
                        page.after(),
                        select);
                sql.append(")");
                if (RunStore.valuesThenNulls(page.sortField(), page.direction(), page.after())) {
                    sql.append(" union all (");
                    RunStore.withoutValueQuery(
                            sql,
                            tenantId,
                            page.filter(),
                            page.sortField(),
                            page.direction(),
                            page.first() + 1,
                            null,
                            select);
                    sql.append(")");
                }
            });
        }

        /** A connection of projects: the rows of {@link ProjectStore#pageQuery}. */
        private void projectPage(JsonRead.ProjectPage page) {
            connection(
                    page.members(),
                    page.first(),
                    "p",
                    ProjectStore.ProjectCursor.encodeSql("p"),
                    members -> project("p", members),
                    select -> {
                        sql.append("(");
                        ProjectStore.pageQuery(
                                sql,
                                list -> select.appendSelect(list),
                                tenantId,
                                page.nameContains(),
                                page.first(),
                                page.after());
                        sql.append(")");
                    });
        }

        /**
         * A connection: its rows (one more than the page, to know whether more follow) numbered in
         * order, then the members, built from the page's rows alone. The rows are read as they are
         * stored ({@code alias.*}) and the JSON of nodes, edges and cursors is built over the numbered
         * rows, after the limit: written in the statements that read the rows, it would be planned once
         * per branch of a page of values then nulls, and built for the row past the page too. Each
         * statement here is planned at every execution (a filtered page is planned for its values), so
         * the size of its expressions is paid on every request.
         */
        private void connection(
                List<Member> members,
                int first,
                String alias,
                String cursor,
                Consumer<List<Member>> item,
                Consumer<RunSelectList> rows) {
            RunSelectList select = new RunSelectList() {
                @Override
                public void appendSelect(SqlBuilder ignored) {
                    sql.append(alias).append(".*");
                }

                @Override
                public void appendPathChecks(SqlBuilder ignored) {
                    // Checked once for the whole statement (see statement).
                }
            };
            sql.append("(with page as (select ").append(alias).append(".*, row_number() over () as n from (");
            rows.accept(select);
            sql.append(") as ")
                    .append(alias)
                    .append(" limit ")
                    .append(String.valueOf(first + 1))
                    .append(") select json_build_object(");
            checkSize(members.size());
            String inPage = " from page " + alias + " where " + alias + ".n <= " + first;
            for (int i = 0; i < members.size(); i++) {
                Member member = members.get(i);
                sql.append(i == 0 ? "" : ", ").append(literal(member.key())).append(", ");
                switch (member.kind()) {
                    case NODES, EDGES -> {
                        sql.append("coalesce((select json_agg(");
                        if (member.kind() == Kind.NODES) {
                            item.accept(member.members());
                        } else {
                            edge(cursor, item, member.members());
                        }
                        sql.append(" order by ")
                                .append(alias)
                                .append(".n)")
                                .append(inPage)
                                .append("), '[]'::json)");
                    }
                    case PAGE_INFO -> pageInfo(member.members(), first, alias, cursor, inPage);
                    case TEXT -> sql.append(literal(member.text()));
                    default -> throw unsupported(member);
                }
            }
            sql.append("))");
        }

        /** The page's info; a cursor is written for the one row it is the cursor of. */
        private void pageInfo(List<Member> members, int first, String alias, String cursor, String inPage) {
            sql.append("json_build_object(");
            checkSize(members.size());
            for (int i = 0; i < members.size(); i++) {
                Member member = members.get(i);
                sql.append(i == 0 ? "" : ", ").append(literal(member.key())).append(", ");
                switch (member.kind()) {
                    case HAS_NEXT_PAGE ->
                        sql.append("((select count(*) from page) > ")
                                .append(String.valueOf(first))
                                .append(")");
                    case HAS_PREVIOUS_PAGE -> sql.append("false");
                    case START_CURSOR ->
                        sql.append("(select ")
                                .append(cursor)
                                .append(" from page ")
                                .append(alias)
                                .append(" where ")
                                .append(alias)
                                .append(".n = 1)");
                    case END_CURSOR ->
                        sql.append("(select ")
                                .append(cursor)
                                .append(inPage)
                                .append(" order by ")
                                .append(alias)
                                .append(".n desc limit 1)");
                    case TEXT -> sql.append(literal(member.text()));
                    default -> throw unsupported(member);
                }
            }
            sql.append(")");
        }

        private void edge(String cursor, Consumer<List<Member>> item, List<Member> members) {
            sql.append("json_build_object(");
            checkSize(members.size());
            for (int i = 0; i < members.size(); i++) {
                Member member = members.get(i);
                sql.append(i == 0 ? "" : ", ").append(literal(member.key())).append(", ");
                switch (member.kind()) {
                    case CURSOR -> sql.append(cursor);
                    case NODE -> item.accept(member.members());
                    case TEXT -> sql.append(literal(member.text()));
                    default -> throw unsupported(member);
                }
            }
            sql.append(")");
        }

        /**
         * The object of the project {@code project}; its aggregates come from its rollups
         * (project_rollup_stats, as on the general path), a subquery that the object is built in.
         */
        private void project(String project, List<Member> members) {
            boolean aggregates = members.stream().anyMatch(member -> member.kind() == Kind.PROJECT_AGGREGATE);
            if (aggregates) {
                sql.append("(select ");
            }
            sql.append("json_build_object(");
            checkSize(members.size());
            for (int i = 0; i < members.size(); i++) {
                Member member = members.get(i);
                sql.append(i == 0 ? "" : ", ").append(literal(member.key())).append(", ");
                switch (member.kind()) {
                    case PROJECT_FIELD -> sql.append(projectField(member.projectField(), project));
                    case PROJECT_AGGREGATE ->
                        sql.append(aggregate(
                                member.aggregate(), "s." + member.aggregate().column()));
                    case TEXT -> sql.append(literal(member.text()));
                    default -> throw unsupported(member);
                }
            }
            sql.append(")");
            if (aggregates) {
                sql.append(" from project_rollup_stats(")
                        .append(project)
                        .append(".tenant_id, ")
                        .append(project)
                        .append(".id) as s)");
            }
        }

        /**
         * The object of the run {@code run} with these members. One with more members than a
         * json_build_object takes is the text of several, joined.
         */
        private void run(String run, List<Member> members) {
            if (members.size() <= MAX_MEMBERS) {
                runObject(run, members);
                return;
            }
            sql.append("(");
            for (int from = 0; from < members.size(); from += MAX_MEMBERS) {
                boolean firstPart = from == 0;
                boolean lastPart = from + MAX_MEMBERS >= members.size();
                sql.append(firstPart ? "" : " || ', ' || ")
                        .append(firstPart ? "" : "substr(")
                        .append(lastPart ? "" : "left(");
                runObject(run, members.subList(from, Math.min(members.size(), from + MAX_MEMBERS)));
                sql.append("::text").append(lastPart ? "" : ", -1)").append(firstPart ? "" : ", 2)");
            }
            sql.append(")::json");
        }

        private void runObject(String run, List<Member> members) {
            sql.append("json_build_object(");
            for (int i = 0; i < members.size(); i++) {
                Member member = members.get(i);
                sql.append(i == 0 ? "" : ", ").append(literal(member.key())).append(", ");
                runMember(run, member);
            }
            sql.append(")");
        }

        private void runMember(String run, Member member) {
            switch (member.kind()) {
                case RUN_FIELD -> sql.append(value(member.field(), run));
                case JSON_PATH -> {
                    paths.add(member.path());
                    sql.append("jsonb_path_query_first(")
                            .append(RunRows.value(member.field(), run))
                            .append(", ")
                            .param(member.path(), "text")
                            .append("::jsonpath, '{}', true)");
                }
                case IS_ROOT -> sql.append("(").append(run).append(".parent_run_id is null)");
                case PARENT_RUN_IDS -> {
                    // DottedOrder.ancestorIds: the run id that ends each segment but the run's own.
                    String segments = "string_to_array(" + run + ".dotted_order, '.')";
                    sql.append("coalesce((select json_agg(right(s.segment, ")
                            .append(String.valueOf(DottedOrder.UUID_LENGTH))
                            .append(")::uuid order by s.i) from unnest(")
                            .append(segments)
                            .append(") with ordinality as s(segment, i) where s.i < cardinality(")
                            .append(segments)
                            .append(")), '[]'::json)");
                }
                case TEXT -> sql.append(literal(member.text()));
                case CHILD_RUN_IDS -> {
                    String child = nextAlias();
                    sql.append("coalesce((select json_agg(")
                            .append(child)
                            .append(".id order by ")
                            .append(child)
                            .append(".dotted_order)");
                    children(run, child);
                    sql.append("), '[]'::json)");
                }
                case CHILD_RUNS -> {
                    String child = nextAlias();
                    sql.append("coalesce((select json_agg(");
                    run(child, member.members());
                    sql.append(" order by ").append(child).append(".dotted_order)");
                    children(run, child);
                    sql.append("), '[]'::json)");
                }
                case PARENT_RUN -> {
                    String parent = nextAlias();
                    sql.append("(select ");
                    run(parent, member.members());
                    sql.append(" from runs ")
                            .append(parent)
                            .append(" where ")
                            .append(parent)
                            .append(".tenant_id = ")
                            .append(run)
                            .append(".tenant_id and ")
                            .append(parent)
                            .append(".id = ")
                            .append(run)
                            .append(".parent_run_id)");
                }
                case FEEDBACK_STATS -> sql.append(feedbackStats(run, member.members()));
                case PROJECT -> {
                    String project = nextProjectAlias();
                    sql.append("(select ");
                    project(project, member.members());
                    sql.append(" from projects ")
                            .append(project)
                            .append(" where ")
                            .append(project)
                            .append(".tenant_id = ")
                            .append(run)
                            .append(".tenant_id and ")
                            .append(project)
                            .append(".id = ")
                            .append(run)
                            .append(".project_id)");
                }
                default -> throw unsupported(member);
            }
        }

        private void children(String run, String child) {
            sql.append(" from runs ")
                    .append(child)
                    .append(" where ")
                    .append(child)
                    .append(".tenant_id = ")
                    .append(run)
                    .append(".tenant_id and ")
                    .append(child)
                    .append(".parent_run_id = ")
                    .append(run)
                    .append(".id");
        }

        private String nextAlias() {
            return "r" + (++aliases);
        }

        private String nextProjectAlias() {
            return "p" + (++aliases);
        }
    }

    /** A catalogue field of a run as its GraphQL type is written. */
    private static String value(RunField field, String run) {
        String value = RunRows.value(field, run);
        return switch (field.kind()) {
            case TIME -> JavaText.isoTime(value);
            // As JSON numbers written as the general path writes their Java values.
            case DOUBLE -> JavaText.doubleJson(value);
            case DECIMAL -> JavaText.decimalJson(value);
            case RUN_TYPE -> enumName(value, RunType.values(), RunType::wireName);
            case STATUS -> enumName(value, RunStatus.values(), RunStatus::wireName);
            case FEEDBACK_STATS -> throw new UnsupportedOperationException("feedback stats are objects of members");
            default -> value;
        };
    }

    /** A stored field of a project as the Project type writes it. */
    private static String projectField(JsonRead.ProjectField field, String project) {
        String value = field.sql(project);
        return switch (field) {
            case START_TIME, END_TIME -> JavaText.isoTime(value);
            // The items of a list of tags as text; one that is not a string has no compiled form: the
            // cast fails the statement, and the request goes the general way.
            case TAGS ->
                "(case when jsonb_typeof(" + value + ") = 'array' then (select coalesce(json_agg(case when"
                        + " jsonb_typeof(t.tag) = 'string' then t.tag #>> '{}' else ('tag of type ' || jsonb_typeof(t.tag))::int::text"
                        + " end order by t.i), '[]'::json) from jsonb_array_elements(" + value
                        + ") with ordinality as t(tag, i)) else '[]'::json end)";
            default -> value;
        };
    }

    /** An aggregate of a project's runs as the Project type writes it. */
    private static String aggregate(ProjectAggregate aggregate, String value) {
        return switch (aggregate.kind()) {
            case COUNT, LONG -> value;
            case DOUBLE -> JavaText.doubleJson(value + "::float8");
            case DECIMAL -> JavaText.decimalJson(value);
            case TIME -> JavaText.isoTime(value);
        };
    }

    /** The GraphQL enum value of a stored wire name: the constant's name, as the run types read them. */
    private static <E extends Enum<E>> String enumName(String value, E[] constants, Function<E, String> wireName) {
        StringBuilder out = new StringBuilder("(case ").append(value);
        for (E constant : constants) {
            out.append(" when ")
                    .append(literal(wireName.apply(constant)))
                    .append(" then ")
                    .append(literal(constant.name()));
        }
        return out.append(" end)").toString();
    }

    /** A run's feedback stats with the members asked for (see {@link FeedbackStore#runStats}). */
    private static String feedbackStats(String run, List<Member> members) {
        StringBuilder key = new StringBuilder("json_build_object(");
        String valueItem = "null";
        checkSize(members.size());
        boolean values = false;
        for (int i = 0; i < members.size(); i++) {
            Member member = members.get(i);
            key.append(i == 0 ? "" : ", ").append(literal(member.key())).append(", ");
            switch (member.kind()) {
                case FEEDBACK_KEY -> key.append("k.key");
                case FEEDBACK_COUNT -> key.append("k.n");
                case FEEDBACK_MEAN_SCORE -> key.append(JavaText.doubleJson("k.mean"));
                case TEXT -> key.append(literal(member.text()));
                case FEEDBACK_VALUES -> {
                    if (values) {
                        throw new UnsupportedOperationException("the values of feedback stats twice");
                    }
                    values = true;
                    key.append(FeedbackStore.VALUE_COUNTS);
                    valueItem = valueCount(member.members());
                }
                default -> throw unsupported(member);
            }
        }
        return FeedbackStore.runStats(run, "json", key.append(")").toString(), valueItem);
    }

    private static String valueCount(List<Member> members) {
        StringBuilder out = new StringBuilder("json_build_object(");
        checkSize(members.size());
        for (int i = 0; i < members.size(); i++) {
            Member member = members.get(i);
            out.append(i == 0 ? "" : ", ").append(literal(member.key())).append(", ");
            switch (member.kind()) {
                case VALUE -> out.append("v.value");
                case VALUE_COUNT -> out.append("v.n");
                case TEXT -> out.append(literal(member.text()));
                default -> throw unsupported(member);
            }
        }
        return out.append(")").toString();
    }

    private static UnsupportedOperationException unsupported(Member member) {
        return new UnsupportedOperationException(member.kind() + " is not a member of this object");
    }
}
