-- Audit every change to customers, and a reporting function.
CREATE FUNCTION log_customer_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_log (table_name, row_data) VALUES (TG_TABLE_NAME, row_to_json(NEW));
    RETURN NEW;
END;
$$;

CREATE TRIGGER customer_audit AFTER INSERT OR UPDATE ON customer
    FOR EACH ROW EXECUTE FUNCTION log_customer_change();

CREATE FUNCTION customer_lifetime_value(p_customer_id bigint) RETURNS numeric
LANGUAGE sql SECURITY DEFINER AS $$
    SELECT coalesce(sum(total), 0) FROM orders WHERE customer_id = p_customer_id
$$;

CREATE FUNCTION find_customers(p_filter text) RETURNS SETOF customer
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE 'SELECT * FROM customer WHERE ' || p_filter;
END;
$$;

CREATE ROLE reporting LOGIN PASSWORD 'Summer2024!';
GRANT SELECT ON customer TO PUBLIC;
GRANT ALL PRIVILEGES ON orders TO reporting;

ALTER TABLE payment ENABLE ROW LEVEL SECURITY;
CREATE POLICY payment_owner ON payment USING (order_id IN (SELECT id FROM orders));
