package io.tracegql.graphql.inputs;

import java.util.List;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

@Input("CreateProjectInput")
@Description("A new project (tracer session). It starts now.")
public class CreateProjectInput {

    @NonNull
    @Description("The project's name: not blank, and not the name of another project.")
    public String name;

    @Description("What the project is for.")
    public String description;

    @Description("Metadata of the project: a JSON object (stored as extra.metadata).")
    public JsonValue metadata;

    @Description("Tags of the project (stored as extra.tags).")
    public List<@NonNull String> tags;

    @Id
    @Description("The reference dataset this project's runs are generated on, if any.")
    public String referenceDatasetId;
}
