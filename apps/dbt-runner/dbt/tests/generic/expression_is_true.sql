{#- Fails on every row where `expression` is false; `where` narrows the rows checked. -#}
{% test expression_is_true(model, expression, column_name=none) %}
    select *
    from {{ model }}
    where not ({{ expression }})
{% endtest %}
