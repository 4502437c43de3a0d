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
    total_population        INT,  -- check: 0..
    population_density      DECIMAL(10,2),  -- check: 0..
    land_area_sq_miles      DECIMAL(10,2),  -- check: 0..
    urban_rural_class       VARCHAR(20),

    -- Age Distribution (%)
    pct_age_18_24           DECIMAL(5,2),  -- check: 0..100
    pct_age_25_34           DECIMAL(5,2),  -- check: 0..100
    pct_age_35_44           DECIMAL(5,2),  -- check: 0..100
    pct_age_45_54           DECIMAL(5,2),  -- check: 0..100
    pct_age_55_64           DECIMAL(5,2),  -- check: 0..100
    pct_age_65_plus         DECIMAL(5,2),  -- check: 0..100
    median_age              DECIMAL(4,1),  -- check: 0..120

    -- Income
    median_household_income INT,  -- check: 0..
    mean_household_income   INT,  -- check: 0..
    per_capita_income       INT,  -- check: 0..
    pct_income_under_25k    DECIMAL(5,2),  -- check: 0..100
    pct_income_25k_50k      DECIMAL(5,2),  -- check: 0..100
    pct_income_50k_75k      DECIMAL(5,2),  -- check: 0..100
    pct_income_75k_100k     DECIMAL(5,2),  -- check: 0..100
    pct_income_100k_150k    DECIMAL(5,2),  -- check: 0..100
    pct_income_150k_plus    DECIMAL(5,2),  -- check: 0..100

    -- Education
    pct_high_school         DECIMAL(5,2),  -- check: 0..100
    pct_some_college        DECIMAL(5,2),  -- check: 0..100
    pct_bachelors           DECIMAL(5,2),  -- check: 0..100
    pct_graduate_degree     DECIMAL(5,2),  -- check: 0..100

    -- Housing
    pct_owner_occupied      DECIMAL(5,2),  -- check: 0..100
    pct_renter_occupied     DECIMAL(5,2),  -- check: 0..100
    median_home_value       INT,  -- check: 0..
    median_rent             INT,  -- check: 0..

    -- Household Composition
    avg_household_size      DECIMAL(3,1),  -- check: 0..
    pct_family_households   DECIMAL(5,2),  -- check: 0..100
    pct_married_couples     DECIMAL(5,2),  -- check: 0..100
    pct_single_parent       DECIMAL(5,2),  -- check: 0..100
    pct_living_alone        DECIMAL(5,2),  -- check: 0..100

    -- Employment
    labor_force_participation DECIMAL(5,2),  -- check: 0..100
    pct_white_collar        DECIMAL(5,2),  -- check: 0..100
    pct_blue_collar         DECIMAL(5,2),  -- check: 0..100
    pct_service_industry    DECIMAL(5,2),  -- check: 0..100

    -- Diversity
    pct_white               DECIMAL(5,2),  -- check: 0..100
    pct_black               DECIMAL(5,2),  -- check: 0..100
    pct_hispanic            DECIMAL(5,2),  -- check: 0..100
    pct_asian               DECIMAL(5,2),  -- check: 0..100
    pct_other_race          DECIMAL(5,2)  -- check: 0..100
);

CREATE TABLE IF NOT EXISTS EXTERNAL.ECONOMIC_INDICATORS (
    zip_code                VARCHAR(5),

    -- Cost of Living (100 = national average)
    cost_of_living_index    DECIMAL(5,1),  -- check: 0..1000
    housing_cost_index      DECIMAL(5,1),  -- check: 0..1000
    utilities_cost_index    DECIMAL(5,1),  -- check: 0..1000
    transportation_index    DECIMAL(5,1),  -- check: 0..1000
    groceries_index         DECIMAL(5,1),  -- check: 0..1000
    healthcare_index        DECIMAL(5,1),  -- check: 0..1000

    -- Employment
    unemployment_rate       DECIMAL(4,2),  -- check: 0..100
    job_growth_rate_yoy     DECIMAL(5,2),  -- check: -100..100

    -- Economic Health
    poverty_rate            DECIMAL(5,2),  -- check: 0..100
    food_insecurity_rate    DECIMAL(5,2),  -- check: 0..100
    uninsured_rate          DECIMAL(5,2),  -- check: 0..100

    -- Housing Market
    home_price_growth_yoy   DECIMAL(5,2),  -- check: -100..100
    rent_growth_yoy         DECIMAL(5,2),  -- check: -100..100
    vacancy_rate            DECIMAL(5,2),  -- check: 0..100

    -- Consumer Behavior
    avg_credit_score        INT,  -- check: 300..850
    pct_prime_credit        DECIMAL(5,2),  -- check: 0..100
    pct_subprime_credit     DECIMAL(5,2),  -- check: 0..100
    avg_debt_to_income      DECIMAL(5,2),  -- check: 0..

    -- Retail/Spending
    retail_sales_per_capita INT,  -- check: 0..
    ecommerce_penetration   DECIMAL(5,2),  -- check: 0..100

    -- Last Updated
    data_as_of_date         DATE  -- check: dates
);

CREATE TABLE IF NOT EXISTS EXTERNAL.COMPETITIVE_LANDSCAPE (
    dma_code                VARCHAR(3),
    dma_name                VARCHAR(100),

    -- Market Size
    total_wireless_subs     INT,  -- check: 0..
    market_size_revenue     DECIMAL(12,2),  -- check: 0..
    yoy_market_growth       DECIMAL(5,2),  -- check: -100..100

    -- Snowmobile Position
    snowmobile_subs         INT,  -- check: 0..
    snowmobile_market_share DECIMAL(5,2),  -- check: 0..100
    snowmobile_nps          INT,  -- check: -100..100
    snowmobile_coverage_pct DECIMAL(5,2),  -- check: 0..100
    snowmobile_5g_pct       DECIMAL(5,2),  -- check: 0..100

    -- Competitor 1: Verizon
    vz_market_share         DECIMAL(5,2),  -- check: 0..100
    vz_avg_price            DECIMAL(6,2),  -- check: 0..
    vz_nps                  INT,  -- check: -100..100
    vz_coverage_pct         DECIMAL(5,2),  -- check: 0..100

    -- Competitor 2: AT&T
    att_market_share        DECIMAL(5,2),  -- check: 0..100
    att_avg_price           DECIMAL(6,2),  -- check: 0..
    att_nps                 INT,  -- check: -100..100
    att_coverage_pct        DECIMAL(5,2),  -- check: 0..100

    -- Competitor 3: T-Mobile
    tmo_market_share        DECIMAL(5,2),  -- check: 0..100
    tmo_avg_price           DECIMAL(6,2),  -- check: 0..
    tmo_nps                 INT,  -- check: -100..100
    tmo_coverage_pct        DECIMAL(5,2),  -- check: 0..100

    -- Regional Competitors
    regional_market_share   DECIMAL(5,2),  -- check: 0..100
    regional_avg_price      DECIMAL(6,2),  -- check: 0..

    -- Competitive Dynamics
    market_concentration    DECIMAL(5,2),  -- check: 0..100
    price_war_intensity     VARCHAR(10),
    recent_competitor_promo VARCHAR(200),
    promo_end_date          DATE  -- check: dates
);

CREATE TABLE IF NOT EXISTS EXTERNAL.LIFESTYLE_SEGMENTS (
    zip_code                VARCHAR(5),

    -- Dominant Lifestyle Cluster
    primary_lifestyle       VARCHAR(50),
    secondary_lifestyle     VARCHAR(50),
    lifestyle_diversity     DECIMAL(3,2),  -- check: 0..1

    -- Technology Adoption (0-100 scores)
    tech_adoption_score     INT,  -- check: 0..1000
    smartphone_penetration  DECIMAL(5,2),  -- check: 0..100
    pct_iphone              DECIMAL(5,2),  -- check: 0..100
    pct_android             DECIMAL(5,2),  -- check: 0..100
    smart_home_adoption     DECIMAL(5,2),  -- check: 0..100
    streaming_penetration   DECIMAL(5,2),  -- check: 0..100
    cord_cutter_rate        DECIMAL(5,2),  -- check: 0..100

    -- Digital Behavior
    avg_daily_screen_time   DECIMAL(4,1),  -- check: 0..
    social_media_heavy_pct  DECIMAL(5,2),  -- check: 0..100
    online_shopping_pct     DECIMAL(5,2),  -- check: 0..100
    mobile_banking_pct      DECIMAL(5,2),  -- check: 0..100

    -- Media Consumption
    streaming_hours_week    DECIMAL(4,1),  -- check: 0..
    gaming_hours_week       DECIMAL(4,1),  -- check: 0..
    news_consumption        VARCHAR(20),
    primary_news_source     VARCHAR(30),

    -- Values & Priorities
    price_sensitivity_index INT,  -- check: 0..1000
    brand_loyalty_index     INT,  -- check: 0..1000
    eco_consciousness       INT,  -- check: 0..
    early_adopter_index     INT,  -- check: 0..1000

    -- Communication Preferences
    pref_channel_digital    DECIMAL(5,2),  -- check: 0..100
    pref_channel_phone      DECIMAL(5,2),  -- check: 0..100
    pref_channel_store      DECIMAL(5,2),  -- check: 0..100
    pref_channel_chat       DECIMAL(5,2),  -- check: 0..100

    -- Wireless-Specific Behaviors
    avg_data_usage_gb       DECIMAL(5,1),  -- check: 0..
    avg_lines_per_account   DECIMAL(3,1),  -- check: 0..
    family_plan_propensity  DECIMAL(5,2),  -- check: 0..100
    premium_plan_propensity DECIMAL(5,2),  -- check: 0..100
    prepaid_propensity      DECIMAL(5,2),  -- check: 0..100

    -- Churn Propensity Factors
    deal_seeker_index       INT,  -- check: 0..1000
    switching_propensity    DECIMAL(5,2),  -- check: 0..100
    competitor_awareness    DECIMAL(5,2)  -- check: 0..100
);
