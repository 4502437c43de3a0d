-- Persona tables (spec §3.4). Snowflake: VARIANT and VECTOR(FLOAT, 768) for Cortex e5-base-v2.

CREATE TABLE IF NOT EXISTS PERSONAS.PERSONA_DEFINITIONS (
    persona_id              VARCHAR(36),
    segment_id              VARCHAR(10),
    segment_name            VARCHAR(50),
    persona_name            VARCHAR(100),

    -- Demographic Composite
    typical_age_range       VARCHAR(20),
    typical_gender_dist     VARCHAR(50),
    typical_income          VARCHAR(30),
    typical_household       VARCHAR(50),
    typical_location        VARCHAR(100),

    -- Account Composite
    typical_plan            VARCHAR(50),
    typical_contract        VARCHAR(30),
    typical_tenure          VARCHAR(30),
    typical_arpu            DECIMAL(10,2),
    typical_device          VARCHAR(50),

    -- Behavioral Profile (JSON)
    usage_profile           VARIANT,
    channel_preferences     VARIANT,
    price_sensitivity       VARIANT,
    loyalty_indicators      VARIANT,
    pain_points             VARIANT,
    value_drivers           VARIANT,

    -- LLM-Generated Content
    background_story        TEXT,
    personality_description TEXT,
    communication_style     TEXT,
    decision_making_style   TEXT,
    emotional_triggers      TEXT,
    sample_quotes           VARIANT,

    -- Metadata
    created_at              TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP,
    updated_at              TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP,
    created_by              VARCHAR(100),
    version                 INT DEFAULT 1
);


-- Structured persona attributes, one row per attribute; source says whether the value was
-- computed from data or written by the LLM (see DESIGN.md: numbers from data, words from the LLM).
CREATE TABLE IF NOT EXISTS PERSONAS.PERSONA_PROFILES (
    persona_id              VARCHAR(36),
    segment_id              VARCHAR(10),
    version                 INT,
    attribute_group         VARCHAR(50),
    attribute_name          VARCHAR(100),
    attribute_value         VARIANT,
    source                  VARCHAR(10),     -- 'data' or 'llm'
    created_at              TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP
);

-- Observed past reactions per segment, retrieved into prompts (spec §4.3).
CREATE TABLE IF NOT EXISTS PERSONAS.HISTORICAL_REACTIONS (
    reaction_id             VARCHAR(36),
    segment_id              VARCHAR(10),
    event_type              VARCHAR(50),
    event_description       VARCHAR(500),
    event_date              DATE,
    customers_exposed       INT,
    outcome_rates           VARIANT,         -- e.g. {"churned": 0.041, "complained": 0.11}
    reaction_summary        TEXT,
    sample_verbatims        VARIANT,
    created_at              TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP
);

-- Vectors for retrieval. model_id is stored with every vector: vectors from different models
-- are not comparable.
CREATE TABLE IF NOT EXISTS PERSONAS.PERSONA_EMBEDDINGS (
    embedding_id            VARCHAR(36),
    source_table            VARCHAR(50),
    source_id               VARCHAR(36),
    segment_id              VARCHAR(10),
    content                 TEXT,
    model_id                VARCHAR(100),
    embedding               VECTOR(FLOAT, 768),
    created_at              TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP
);
