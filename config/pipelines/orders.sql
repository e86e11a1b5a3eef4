-- The sample orders pipeline's Redshift objects: the fact table the load replaces a date of, and the two
-- materialized views it refreshes. Plain Redshift DDL: apply it to a real cluster as it is; the local stack
-- applies it when it starts (each statement ends with a semicolon at the end of a line).

CREATE TABLE IF NOT EXISTS public.fct_orders (
    order_id VARCHAR(50) NOT NULL,
    customer_id VARCHAR(50) DISTKEY,     -- distribute by the join key
    order_date DATE SORTKEY,             -- sort for date queries
    order_amount DECIMAL(18,2),
    product_id VARCHAR(50),
    created_at TIMESTAMP,
    processed_at TIMESTAMP               -- when the Glue job transformed the row
);

CREATE SCHEMA IF NOT EXISTS analytics;

CREATE MATERIALIZED VIEW analytics.daily_sales AS
SELECT order_date, COUNT(*) AS orders, SUM(order_amount) AS revenue
FROM public.fct_orders
GROUP BY order_date;

CREATE MATERIALIZED VIEW analytics.customer_metrics AS
SELECT customer_id, COUNT(*) AS orders, SUM(order_amount) AS total_spent,
       MIN(order_date) AS first_order_date, MAX(order_date) AS last_order_date
FROM public.fct_orders
GROUP BY customer_id;
