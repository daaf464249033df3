{#-
    The orchestrator run a dbt invocation belongs to: FINKS_CORRELATION_ID (the runner sets it
    from --correlation-id; ECS tasks get it from the flow), else the `correlation_id` var.
    Not read while parsing (`execute` is false then): a value read there is part of the parse,
    and a new id every run would make dbt re-parse the models that use it every run. Query
    comments render outside the model context, where `execute` is undefined, and read it too.
-#}
{% macro correlation_id() -%}
    {%- if execute is defined and not execute -%}
        {{- return('unset') -}}
    {%- endif -%}
    {{- return(env_var('FINKS_CORRELATION_ID', var('correlation_id', 'unset'))) -}}
{%- endmacro %}
