-- Third-party data by ZIP and DMA (spec §3.2). Columns and types are the spec's.
-- Keys are checked by `cdt load`, not declared (see 10_raw.sql).

CREATE TABLE IF NOT EXISTS EXTERNAL.ZIP_DEMOGRAPHICS (
    zip_code                VARCHAR(5),
    zip_name                VARCHAR(100),
    state_code              VARCHAR(2),
    state_name              VARCHAR(50),
    region                  VARCHAR(20),
    dma_code                VARCHAR(3),
    dma_name                VARCHAR(100),

    -- Population
    total_population        INT,
    population_density      DECIMAL(10,2),
    land_area_sq_miles      DECIMAL(10,2),
    urban_rural_class       VARCHAR(20),

    -- Age Distribution (%)
    pct_age_18_24           DECIMAL(5,2),
    pct_age_25_34           DECIMAL(5,2),
    pct_age_35_44           DECIMAL(5,2),
    pct_age_45_54           DECIMAL(5,2),
    pct_age_55_64           DECIMAL(5,2),
    pct_age_65_plus         DECIMAL(5,2),
    median_age              DECIMAL(4,1),

    -- Income
    median_household_income INT,
    mean_household_income   INT,
    per_capita_income       INT,
    pct_income_under_25k    DECIMAL(5,2),
    pct_income_25k_50k      DECIMAL(5,2),
    pct_income_50k_75k      DECIMAL(5,2),
    pct_income_75k_100k     DECIMAL(5,2),
    pct_income_100k_150k    DECIMAL(5,2),
    pct_income_150k_plus    DECIMAL(5,2),

    -- Education
    pct_high_school         DECIMAL(5,2),
    pct_some_college        DECIMAL(5,2),
    pct_bachelors           DECIMAL(5,2),
    pct_graduate_degree     DECIMAL(5,2),

    -- Housing
    pct_owner_occupied      DECIMAL(5,2),
    pct_renter_occupied     DECIMAL(5,2),
    median_home_value       INT,
    median_rent             INT,

    -- Household Composition
    avg_household_size      DECIMAL(3,1),
    pct_family_households   DECIMAL(5,2),
    pct_married_couples     DECIMAL(5,2),
    pct_single_parent       DECIMAL(5,2),
    pct_living_alone        DECIMAL(5,2),

    -- Employment
    labor_force_participation DECIMAL(5,2),
    pct_white_collar        DECIMAL(5,2),
    pct_blue_collar         DECIMAL(5,2),
    pct_service_industry    DECIMAL(5,2),

    -- Diversity
    pct_white               DECIMAL(5,2),
    pct_black               DECIMAL(5,2),
    pct_hispanic            DECIMAL(5,2),
    pct_asian               DECIMAL(5,2),
    pct_other_race          DECIMAL(5,2)
);

CREATE TABLE IF NOT EXISTS EXTERNAL.ECONOMIC_INDICATORS (
    zip_code                VARCHAR(5),

    -- Cost of Living (100 = national average)
    cost_of_living_index    DECIMAL(5,1),
    housing_cost_index      DECIMAL(5,1),
    utilities_cost_index    DECIMAL(5,1),
    transportation_index    DECIMAL(5,1),
    groceries_index         DECIMAL(5,1),
    healthcare_index        DECIMAL(5,1),

    -- Employment
    unemployment_rate       DECIMAL(4,2),
    job_growth_rate_yoy     DECIMAL(5,2),

    -- Economic Health
    poverty_rate            DECIMAL(5,2),
    food_insecurity_rate    DECIMAL(5,2),
    uninsured_rate          DECIMAL(5,2),

    -- Housing Market
    home_price_growth_yoy   DECIMAL(5,2),
    rent_growth_yoy         DECIMAL(5,2),
    vacancy_rate            DECIMAL(5,2),

    -- Consumer Behavior
    avg_credit_score        INT,
    pct_prime_credit        DECIMAL(5,2),
    pct_subprime_credit     DECIMAL(5,2),
    avg_debt_to_income      DECIMAL(5,2),

    -- Retail/Spending
    retail_sales_per_capita INT,
    ecommerce_penetration   DECIMAL(5,2),

    -- Last Updated
    data_as_of_date         DATE
);

CREATE TABLE IF NOT EXISTS EXTERNAL.COMPETITIVE_LANDSCAPE (
    dma_code                VARCHAR(3),
    dma_name                VARCHAR(100),

    -- Market Size
    total_wireless_subs     INT,
    market_size_revenue     DECIMAL(12,2),
    yoy_market_growth       DECIMAL(5,2),

    -- Snowmobile Position
    snowmobile_subs         INT,
    snowmobile_market_share DECIMAL(5,2),
    snowmobile_nps          INT,
    snowmobile_coverage_pct DECIMAL(5,2),
    snowmobile_5g_pct       DECIMAL(5,2),

    -- Competitor 1: Verizon
    vz_market_share         DECIMAL(5,2),
    vz_avg_price            DECIMAL(6,2),
    vz_nps                  INT,
    vz_coverage_pct         DECIMAL(5,2),

    -- Competitor 2: AT&T
    att_market_share        DECIMAL(5,2),
    att_avg_price           DECIMAL(6,2),
    att_nps                 INT,
    att_coverage_pct        DECIMAL(5,2),

    -- Competitor 3: T-Mobile
    tmo_market_share        DECIMAL(5,2),
    tmo_avg_price           DECIMAL(6,2),
    tmo_nps                 INT,
    tmo_coverage_pct        DECIMAL(5,2),

    -- Regional Competitors
    regional_market_share   DECIMAL(5,2),
    regional_avg_price      DECIMAL(6,2),

    -- Competitive Dynamics
    market_concentration    DECIMAL(5,2),
    price_war_intensity     VARCHAR(10),
    recent_competitor_promo VARCHAR(200),
    promo_end_date          DATE
);

CREATE TABLE IF NOT EXISTS EXTERNAL.LIFESTYLE_SEGMENTS (
    zip_code                VARCHAR(5),

    -- Dominant Lifestyle Cluster
    primary_lifestyle       VARCHAR(50),
    secondary_lifestyle     VARCHAR(50),
    lifestyle_diversity     DECIMAL(3,2),

    -- Technology Adoption (0-100 scores)
    tech_adoption_score     INT,
    smartphone_penetration  DECIMAL(5,2),
    pct_iphone              DECIMAL(5,2),
    pct_android             DECIMAL(5,2),
    smart_home_adoption     DECIMAL(5,2),
    streaming_penetration   DECIMAL(5,2),
    cord_cutter_rate        DECIMAL(5,2),

    -- Digital Behavior
    avg_daily_screen_time   DECIMAL(4,1),
    social_media_heavy_pct  DECIMAL(5,2),
    online_shopping_pct     DECIMAL(5,2),
    mobile_banking_pct      DECIMAL(5,2),

    -- Media Consumption
    streaming_hours_week    DECIMAL(4,1),
    gaming_hours_week       DECIMAL(4,1),
    news_consumption        VARCHAR(20),
    primary_news_source     VARCHAR(30),

    -- Values & Priorities
    price_sensitivity_index INT,
    brand_loyalty_index     INT,
    eco_consciousness       INT,
    early_adopter_index     INT,

    -- Communication Preferences
    pref_channel_digital    DECIMAL(5,2),
    pref_channel_phone      DECIMAL(5,2),
    pref_channel_store      DECIMAL(5,2),
    pref_channel_chat       DECIMAL(5,2),

    -- Wireless-Specific Behaviors
    avg_data_usage_gb       DECIMAL(5,1),
    avg_lines_per_account   DECIMAL(3,1),
    family_plan_propensity  DECIMAL(5,2),
    premium_plan_propensity DECIMAL(5,2),
    prepaid_propensity      DECIMAL(5,2),

    -- Churn Propensity Factors
    deal_seeker_index       INT,
    switching_propensity    DECIMAL(5,2),
    competitor_awareness    DECIMAL(5,2)
);
