{#- Appended to every query so Athena / DuckDB query history traces back to the orchestrator run. -#}
{% macro query_comment(node) -%}
    {%- set comment = {
        'app': 'finks-dbt',
        'correlation_id': finks.correlation_id(),
        'invocation_id': invocation_id,
        'target': target.name,
        'node_id': node.unique_id if node is not none else 'internal',
    } -%}
    {{- return(tojson(comment)) -}}
{%- endmacro %}
