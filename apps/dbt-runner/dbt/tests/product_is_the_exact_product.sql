{#-
    finks.product over groups and over running windows, on both implementations: the one this
    target dispatches to and the portable one Athena uses (logarithms, sign from the negative
    factors, 0 for a zero factor), which runs on DuckDB as well. Negative, zero and NULL factors
    included. Returns the rows where either differs from the product written out by hand.
-#}
{%- set running = 'partition by grp order by pos
    rows between unbounded preceding and current row' -%}
with

factors as (
    select *
    from (
        values
        (1, 1, 2e0, 2e0, -3e0),
        (1, 2, -3e0, -6e0, -3e0),
        (1, 3, 0.5e0, -3e0, -3e0),
        (2, 1, 1.1e0, 1.1e0, 0e0),
        (2, 2, 0e0, 0e0, 0e0),
        (2, 3, 5e0, 0e0, 0e0),
        (3, 1, null, null, 4e0),
        (3, 2, 4e0, 4e0, 4e0),
        (4, 1, -2e0, -2e0, 0.5e0),
        (4, 2, -0.25e0, 0.5e0, 0.5e0),
        (5, 1, null, null, null)
    ) as t (grp, pos, factor, running_product, group_product)
),

computed as (
    select
        grp,
        pos,
        running_product,
        group_product,
        {{ finks.product('factor', over=running) }} as running_dispatched,
        {{ finks.default__product('factor', over=running) }} as running_portable,
        {{ finks.product('factor', over='partition by grp') }} as group_dispatched,
        {{ finks.default__product('factor', over='partition by grp') }}
            as group_portable
    from factors
),

grouped as (
    select
        grp,
        {{ finks.product('factor') }} as dispatched,
        {{ finks.default__product('factor') }} as portable
    from factors
    group by grp
),

checks as (
    select
        grp,
        pos,
        'running, dispatched' as what,
        running_product as expected,
        running_dispatched as actual
    from computed
    union all
    select grp, pos, 'running, portable', running_product, running_portable
    from computed
    union all
    select grp, pos, 'window, dispatched', group_product, group_dispatched
    from computed
    union all
    select grp, pos, 'window, portable', group_product, group_portable
    from computed
    union all
    select grouped.grp, null, 'group, dispatched', factors.group_product,
        grouped.dispatched
    from grouped
    inner join factors on grouped.grp = factors.grp and factors.pos = 1
    union all
    select grouped.grp, null, 'group, portable', factors.group_product,
        grouped.portable
    from grouped
    inner join factors on grouped.grp = factors.grp and factors.pos = 1
)

select *
from checks
where
    (expected is null) != (actual is null)
    or abs(expected - actual) > 1e-12
