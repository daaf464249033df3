{#-
    Drops a slim CI run's schema (a Glue database on Athena) with everything in it. Only names of
    a pull-request schema pass (src/ci/ci-schema.ts checks the same pattern before dbt starts),
    so a mistyped or empty argument cannot drop a shared schema.
-#}
{% macro drop_ci_schema(schema_name) %}
    {%- set pattern = '[a-z][a-z0-9_]*_pr_[a-z0-9][a-z0-9_]*' -%}
    {%- if schema_name is not string
        or schema_name | length > 64
        or not modules.re.fullmatch(pattern, schema_name) -%}
        {{ exceptions.raise_compiler_error(
            'drop_ci_schema only drops pull-request schemas (' ~ pattern
            ~ ', at most 64 characters), not ' ~ schema_name
        ) }}
    {%- endif -%}
    {#- Nodes with a custom schema (the snapshot's `snapshots`) land in <schema>_<custom>
        (dbt's default generate_schema_name): those belong to the PR too. -#}
    {%- set schemas = [schema_name] -%}
    {%- for node in graph.nodes.values() -%}
        {%- set custom = node.config.get('schema') -%}
        {%- if custom and (schema_name ~ '_' ~ custom) not in schemas -%}
            {%- do schemas.append(schema_name ~ '_' ~ custom) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for schema in schemas -%}
        {%- set relation = api.Relation.create(
            database=target.database, schema=schema
        ) -%}
        {% do adapter.drop_schema(relation) %}
        {% do log('dropped CI schema ' ~ schema, info=true) %}
    {%- endfor -%}
{% endmacro %}
