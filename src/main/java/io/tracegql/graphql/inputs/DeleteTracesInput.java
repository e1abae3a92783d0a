package io.tracegql.graphql.inputs;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

@Input("DeleteTracesInput")
@Description("Which traces of a project to delete: named by traceIds, or chosen by a filter on their root runs"
        + " (`filter: {}` chooses every trace).")
public class DeleteTracesInput {

    @NonNull
    @Id
    @Description("The project whose traces are deleted.")
    public String projectId;

    @Id
    @Description("The traces to delete (at most 1000).")
    public List<@NonNull String> traceIds;

    @Description("Deletes the traces whose root run matches.")
    public RunFilterInput filter;

    @Description("Deletes the traces whose root run matches this filter in LangSmith's filter language.")
    public String filterExpression;
}
