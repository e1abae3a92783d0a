package io.tracegql.graphql.inputs;

import jakarta.json.JsonValue;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

@Input("UpdateProjectInput")
@Description("Changes to a project: only the fields given change.")
public class UpdateProjectInput {

    @Description("A new name: not blank, and not the name of another project.")
    public String name;

    @Description("A new description.")
    public String description;

    @Description("New metadata: a JSON object that replaces extra.metadata as a whole.")
    public JsonValue metadata;
}
