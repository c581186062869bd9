"""Column roles and kinds on real exports that are not feedback: BI tables, ticket summaries, logs.

Each expectation was checked by hand against the file (see evals/datasets/ingest/manifest.yaml).
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest
from conftest import ROOT, SHARED
from conftest import column_roles as roles
from conftest import load_export as load

from assistant.funnels import compute_funnel
from assistant.ingest.dates import parse_event_time
from assistant.ingest.records import Loaded
from assistant.profiling.inspect import preview_file

STANDARDS = SHARED / "gc_service_inventory_channels" / "ss_2024.csv"
CONVERSATIONS = SHARED / "support_twitter_customer_care" / "conversations.csv"
UCI = SHARED / "uci_online_shoppers_intention" / "online_shoppers_intention.csv"
OTTO = SHARED / "event_logs_support_and_shop" / "otto_sessions_sample_events.csv"
FILES = ROOT / "evals" / "datasets" / "ingest" / "files"


def test_text_no_one_writes_as_i_in_is_the_organisations() -> None:
    # A government's service standards: descriptions and comments, no respondent, no "I".
    loaded = load(STANDARDS)
    got = roles(loaded)
    for column in ("service_standard_en", "channel_comments_en", "comments_en", "comments_fr"):
        assert got[column] == "company_text", column
    assert loaded.kind == "analytics"
    assert not [r for r in loaded.records if r.voice == "customer"]


def test_a_rate_that_is_one_column_over_another_gets_that_base() -> None:
    loaded = load(STANDARDS)
    assert loaded.profile is not None
    performance = loaded.profile.column("performance")
    assert performance is not None
    assert (performance.role, performance.base, performance.part) == (
        "funnel_rate",
        "total_volume",
        "volume_meeting_target",
    )
    assert roles(loaded)["total_volume"] == roles(loaded)["volume_meeting_target"] == "funnel_count"


def test_funnel_from_a_found_rate_needs_no_steps_and_says_where_a_step_is_blank() -> None:
    result = compute_funnel(STANDARDS, window_seconds=0)
    assert [s.name for s in result.steps] == ["total_volume", "volume_meeting_target"]
    with STANDARDS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))

    def number(text: str) -> float | None:
        try:
            return float(text)
        except ValueError:
            return None

    both = [
        r
        for r in rows
        if number(r["total_volume"]) is not None and number(r["volume_meeting_target"]) is not None
    ]
    over_both = sum(number(r["volume_meeting_target"]) or 0 for r in both) / sum(
        number(r["total_volume"]) or 0 for r in both
    )
    blank = [
        r for r in rows if number(r["volume_meeting_target"]) is None and (number(r["total_volume"]) or 0) > 0
    ]
    warning = next(w for w in result.warnings if w.kind == "blank_step")
    assert warning.count == len(blank)
    assert f"{over_both:.2%}" in warning.message


def test_a_ticket_summary_without_text_is_still_tickets() -> None:
    loaded = load(CONVERSATIONS)
    got = roles(loaded)
    assert got["split"] == "other"  # dev / test: how a data set was split, not a customer attribute
    assert got["duration"] == "measure"  # 01:26:55.0
    assert got["n_turns_in_file"] == got["messageCount"] == "measure"
    assert loaded.kind == "ticket"


def test_a_score_beside_review_text_is_a_rating_and_one_date_is_still_the_date() -> None:
    loaded = load(FILES / "tt_animal_crossing_reviews" / "user_reviews_first22.tsv")
    got = roles(loaded)
    assert got["grade"] == "rating"  # 0-10, no cue in the header
    assert got["date"] == "timestamp"  # every review of this trimmed file is from one day
    assert loaded.kind == "review"
    assert all(r.created_at is not None for r in loaded.records)


def test_loader_columns_and_quantities_of_zero_or_one() -> None:
    got = roles(load(FILES / "fivetran_ga4_export" / "event_data.csv"))
    assert got["_fivetran_synced"] == "other"  # the loader's sync time, not the event's
    assert got["_fivetran_id"] == "identifier"
    assert got["date"] == "timestamp"
    assert got["ecommerce_total_item_quantity"] == "measure"  # 0 or 1 here, still a quantity


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            OTTO,
            {"session": "user_id", "aid": "identifier"},
        ),  # the article id repeats too, but is not the journey
        (UCI, {"ProductRelated": "measure", "BounceRates": "measure", "Region": "segment"}),
    ],
    ids=["otto-events", "uci-sessions"],
)
def test_ids_counts_and_codes(path: Path, expected: dict[str, str]) -> None:
    got = roles(load(path))
    assert {k: got[k] for k in expected} == expected


def test_a_small_table_of_figures_per_named_group_is_research() -> None:
    loaded = load(FILES / "tt_valentine_nrf" / "gifts_age.csv")
    assert loaded.kind == "research"
    assert roles(loaded)["Age"] == "segment"


def test_terse_comments_under_a_respondent_header_stay_customer_voice(tmp_path: Path) -> None:
    # No one writes "I" here, but the header names respondents: people wrote these comments.
    comments = ["Postage was too much.", "Delivery took a week.", "Checkout kept timing out.", "Too pricey."]
    rows = ["respondent_id,main_obstacle,comments"] + [
        f"R{n:03d},{'Price higher than elsewhere' if n % 3 else 'Shipping cost too high'},{comments[n % 4]} (#{n})"
        for n in range(1, 41)
    ]
    path = tmp_path / "checkout_survey.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    loaded = load(path)
    assert roles(loaded)["comments"] == "customer_text"
    assert roles(loaded)["main_obstacle"] == "closed_single"
    assert loaded.kind == "survey"


def test_a_process_mining_log_with_xes_names_is_an_event_log() -> None:
    # case:concept:name, concept:name, time:timestamp: the XES names tools such as pm4py write.
    loaded = load(FILES / "pm4py_road_traffic_fines" / "roadtraffic_first75cases.csv")
    got = roles(loaded)
    assert got["case:concept:name"] == "user_id"
    assert got["concept:name"] == "event_name"
    assert loaded.profile is not None and loaded.profile.shape == "event_log"


def test_quarter_point_ratings_a_complaint_log_and_a_table_of_shares() -> None:
    chocolate = load(FILES / "tt_chocolate_ratings" / "chocolate_first165.csv")
    assert roles(chocolate)["rating"] == "rating"  # 2.75, 3.25, 3.5 on a 1-5 scale
    assert chocolate.kind == "review"
    complaints = load(FILES / "tt_townsville_animal_complaints" / "animal_complaints_first160.csv")
    assert complaints.kind == "ticket"  # no text, but its headers say complaints
    shares = load(FILES / "tt_bls_employed_gender" / "employed_gender.csv")
    assert shares.kind == "research"  # every figure a percentage, per year: published statistics


def test_json_properties_are_not_text_anyone_wrote() -> None:
    got = roles(load(FILES / "fivetran_mixpanel_events" / "event.csv"))
    assert got["properties"] == "other"


def test_hashed_personal_fields_and_values_on_some_rows_only() -> None:
    got = roles(load(FILES / "fivetran_shopify_orders" / "shopify_order_data.csv"))
    # md5 digests stand in for addresses and names the loader removed: not segments of customers.
    assert got["shipping_address_city"] == got["billing_address_last_name"] == "other"
    subscriptions = roles(load(FILES / "fivetran_apple_store_subs" / "sales_subscription_event_summary.csv"))
    assert subscriptions["cancellation_reason"] == "segment"  # "Canceled" on some rows, blank on others
    assert subscriptions["marketing_opt_in"] == "flag"  # "Yes" or blank


def test_a_count_of_applications_in_person_is_a_measure() -> None:
    got = roles(load(SHARED / "gc_service_inventory_channels" / "si_2024.csv"))
    assert got["num_applications_in_person"] == "measure"


def test_addresses_zip_codes_and_question_ids() -> None:
    venues = load(next((FILES / "tt_pizza_barstool").glob("*.csv")))
    got = roles(venues)
    assert got["address1"] == "other"  # a postal address is personal data, not what customers said
    assert got["zip"] == "segment"  # numbers that code a place, not a quantity
    assert venues.kind == "review"  # ratings from reviews, without their text
    polls = roles(load(next((FILES / "tt_pizza_jared_polls").glob("*.csv"))))
    assert polls["polla_qid"] == "identifier"


# Session 18: the nine tables held out as `fresh` until their misses were read.
SANDY = FILES / "fte_sandy_311" / "sandy_311_calls_by_day_first200.csv"
CFPB = FILES / "cfpb_ccdb_fixture" / "v2-public.csv"
PLAY = FILES / "fivetran_google_play" / "stats_store_performance_traffic_source.csv"
FANDANGO = FILES / "fte_fandango" / "fandango_score_comparison.csv"
AIRLINES = FILES / "fte_airline_safety" / "airline_safety.csv"


def test_month_day_two_digit_year_dates_are_the_record_time() -> None:
    # "10/22/12": a US export's date with a two-digit year, not an id.
    loaded = load(SANDY)
    assert roles(loaded)["date"] == "timestamp"
    assert loaded.profile is not None
    stats = loaded.profile.column("date").stats  # type: ignore[union-attr]
    assert stats is not None and str(stats.first)[:10] == "2012-10-22"


def test_complaint_export_with_short_yes_no_labels_is_a_ticket_table() -> None:
    # "Timely response?", "Consumer disputed?" are a record's fields, not a questionnaire.
    loaded = load(CFPB)
    got = roles(loaded)
    assert loaded.kind == "ticket"
    assert got["Date received"] == "timestamp"
    assert got["Consumer complaint narrative"] == "customer_text"
    assert got["Submitted via"] == got["Issue"] == "segment"
    assert got["Consumer disputed?"] == "flag"  # "No" or blank


def test_counts_behind_a_conversion_rate_are_funnel_counts_whatever_their_header() -> None:
    # "store_listing_visitors" has a segment word in it, but the rate column is acquisitions / visitors.
    loaded = load(PLAY)
    assert loaded.profile is not None
    rate = loaded.profile.column("store_listing_conversion_rate")
    assert rate is not None and (rate.role, rate.base, rate.part) == (
        "funnel_rate",
        "store_listing_visitors",
        "store_listing_acquisitions",
    )
    assert loaded.kind == "analytics"
    result = compute_funnel(PLAY, window_seconds=0)
    assert [s.name for s in result.steps] == ["store_listing_visitors", "store_listing_acquisitions"]
    assert abs(result.steps[-1].count / result.steps[0].count - 513 / 1409) < 0.001  # visitor-weighted


def test_scores_per_named_title_are_published_figures_not_reviews_or_people() -> None:
    loaded = load(FANDANGO)
    got = roles(loaded)
    assert got["FILM"] == "identifier"  # "Avengers: Age of Ultron (2015)": a title, not a text
    assert got["RottenTomatoes_User"] != "user_id"  # a 0-100 score users gave
    assert got["Metacritic_User"] != "user_id"  # 7.1
    assert got["IMDB_user_vote_count"] == "measure"
    assert loaded.kind == "research"


def test_large_counts_that_differ_on_every_row_are_measures_not_ids() -> None:
    loaded = load(AIRLINES)
    assert roles(loaded)["avail_seat_km_per_week"] == "measure"
    assert loaded.kind == "research"


def test_one_share_per_named_group_in_a_tsv_is_published_research() -> None:
    loaded = load(FILES / "fte_male_flight_attendants" / "male-flight-attendants.tsv")
    assert loaded.kind == "research"
    assert roles(loaded)["Percentage Male"] == "measure"


def test_a_row_has_one_record_time_and_its_other_dates_are_attributes() -> None:
    cfpb = roles(load(CFPB))
    assert cfpb["Date received"] == "timestamp" and cfpb["Date sent to company"] == "other"
    # GA4: the event's day and its clock time are the record's time; the user's first visit is not.
    ga4 = roles(load(FILES / "fivetran_ga4_export" / "event_data.csv"))
    assert ga4["date"] == ga4["timestamp"] == "timestamp"
    assert ga4["user_first_touch_timestamp"] == "other"


# Session 18: the tables held out as `fresh4` until their misses were read.
SUPERSTORE = FILES / "plotly_global_superstore_orders" / "global_super_store_orders.tsv"


def test_decimal_comma_money_is_numbers_and_names_of_people_and_places_are_not_text() -> None:
    loaded = load(SUPERSTORE)
    assert loaded.profile is not None
    sales = loaded.profile.column("Sales")
    assert sales is not None and sales.decimal_comma and sales.stats is not None
    assert sales.stats.total is not None and abs(sales.stats.total - 243960.063) < 0.01  # "12,96" = 12.96
    got = roles(loaded)
    assert got["Customer Name"] == "identifier"  # "Alejandro Savely": personal data, not text
    assert got["Profit"] == got["Shipping Cost"] == "measure"


def test_street_names_are_a_segment_coordinates_are_not_names_and_address_parts_group_rows() -> None:
    got = roles(
        load(
            FILES
            / "plotly_nyc_311_animal_requests"
            / next(p.name for p in (FILES / "plotly_nyc_311_animal_requests").glob("*.csv"))
        )
    )
    assert got["Landmark"] == "segment"  # "5 AVENUE", "PROSPECT PARK WEST"
    assert got["Location"] != "segment"  # "POINT (-73.96 40.77)"
    assert got["Address Type"] == "segment"


def test_a_time_of_day_beside_a_date_is_not_a_duration_and_a_cross_tab_of_shares_is_research() -> None:
    sales = roles(load(next((FILES / "plotly_supermarket_sales").glob("*.csv"))))
    assert sales["Time"] == "other"
    shares = load(next((FILES / "plotly_gss_2002_likert_shares").glob("*.csv")))
    assert shares.kind == "research"


def test_an_average_of_scores_is_a_rating_and_a_sum_of_scores_is_a_measure() -> None:
    pizza = roles(load(next((FILES / "tt_pizza_barstool").glob("*.csv"))))
    assert pizza["review_stats_community_average_score"] == "rating"  # 7.45 on a 0-10 scale
    assert pizza["review_stats_dave_total_score"] == "measure"  # 37.5: scores added up
    agents = roles(load(FILES / "pycaret_callcentre_agents" / "employee_performance.csv"))
    assert agents["CSat"] == "rating"  # each agent's average satisfaction score
    sei = roles(load(FILES / "jrg_sei_instructor_scores" / "instructor-scores.csv"))
    assert sei["Mean"] == "rating"  # the mean of 1-5 answers to one question


def test_demographics_and_plain_labels_beside_asked_questions_are_segments() -> None:
    feedback = roles(load(FILES / "expdash_fft_patient_feedback" / "test_data.csv"))
    assert feedback["faith"] == feedback["disability"] == feedback["sexuality"] == "segment"
    ux = roles(load(next((FILES / "jupyter_notebook_ux_survey_2015").glob("*.csv"))))
    assert ux["Status"] == "segment"  # recorded by the survey tool beside the questions it asked


def test_requests_that_ask_the_company_things_are_tickets_and_a_few_small_id_codes_are_groups() -> None:
    # Customers' requests to airline, train and telecom virtual agents: no agent rows, no rating.
    requests = load(FILES / "rsics_multi_intent_flags" / "all_multi_intent.csv")
    assert requests.kind == "ticket" and "ask something" in requests.kind_reason
    got = roles(requests)
    assert got["Dataset ID"] == got["Group ID"] == "segment"  # 1-4 and 1/2 over thousands of rows
    assert got["Request ID"] == "identifier"
    tagged = load(FILES / "rsics_iva_request_tags" / "tagged_selections_by_sentence_last5640.csv")
    assert tagged.kind == "ticket"
    assert tagged.profile is not None
    text = tagged.profile.column("MergedSelections")
    assert text is not None and text.stats is not None
    assert text.stats.top[0][1] == 63  # one request pasted under 63 ids: reported, every row kept


def test_a_complaint_log_without_text_is_read_as_tickets_from_its_file_name() -> None:
    complaints = load(FILES / "cfpb_ccdb_complaints_subset" / "complaints-subset.csv")
    assert complaints.kind == "ticket" and "file name" in complaints.kind_reason
    assert roles(complaints)["product"] == "segment"


def test_numbers_with_one_placeholder_word_are_numbers_and_not_applicable_is_a_value() -> None:
    members = load(FILES / "mindsdb_membership_churn_complaints" / "telecom_customer_churn.csv")
    got = roles(members)
    assert got["avg_frequency_login_days"] == "measure"  # 'Error' on 38 of 499 rows: no value there
    assert members.profile is not None
    status = members.profile.column("complaint_status")
    assert status is not None and status.stats is not None
    # Written out where no complaint was made: 251 of the 499 customers, a figure of its own.
    assert dict(status.stats.top)["Not Applicable"] == 251
    staff = roles(load(FILES / "mindsdb_hr_attrition_train" / "train.csv"))
    assert staff["YearsInCurrentRole"] == "measure"  # years, though "role" names a group elsewhere


def test_interval_periods_are_times_and_month_only_dates_start_on_the_first() -> None:
    loans = load(FILES / "ace_libraries_loans_2023_24" / "loans.csv")
    assert roles(loans)["Period"] == "timestamp"  # "2023-04-01/P1M": an ISO 8601 interval's start
    assert loans.profile is not None
    period = loans.profile.column("Period")
    assert period is not None and period.stats is not None
    assert period.stats.first[:10] == "2023-04-01" and period.stats.last[:10] == "2024-03-01"
    assert parse_event_time("2023-04") == datetime(2023, 4, 1)  # not today's day of April


def test_labels_repeated_on_many_rows_group_them_and_a_numbered_list_with_other_is_no_scale() -> None:
    delays = roles(load(next((FILES / "bts_airline_delay_causes_2024").glob("*.csv"))))
    # 354 airports over 7,582 rows: too many for a choice list, each written on ~21 rows.
    assert delays["airport"] == delays["airport_name"] == "segment"
    services = load(FILES / "govuk_service_performance_quarterly" / "services.csv")
    # "1. transactions received" … "4. other" numbers kinds, not points of a scale; without a scale
    # answer in it, a sheet of quarterly volumes is analytics, and its agency names group rows.
    assert services.kind == "analytics"
    got = roles(services)
    assert got["Type of transaction"] == got["Agency/body"] == "segment"
    assert got["Hi-vol"] == "flag"  # "1" or blank; one "#REF!" is a failed formula, not a value
    assert got["2014-Q1 User satisfaction"] == "other"  # one "0" in 734 rows: no figure to report


def test_long_listing_titles_are_names_and_a_few_long_notes_are_text_not_answers() -> None:
    purchases = load(FILES / "plotly_amazon_purchases_sample" / "amazon-purchases-sample.csv")
    # "Arm & Hammer Fresh Mint Dental Chews with Baking Soda": 17 words, nearly all capitalised.
    assert roles(purchases)["Title"] == "segment"
    assert purchases.kind == "analytics"  # purchases, though the id column is a "Survey ResponseID"
    inventory = roles(load(SHARED / "gc_service_inventory_channels" / "si_2024.csv"))
    # 49 values, mostly "Not applicable", the rest paragraphs about a decision system.
    assert inventory["automated_decision_system_description_en"] == "company_text"


def test_question_texts_and_import_ids_below_the_header_are_header_not_respondents() -> None:
    # A raw survey-tool export: codes ("Q4_1"), then each question's wording, then JSON import ids.
    survey = load(FILES / "ogd_aqualab_player_survey_2023" / "prepost_w_times.csv")
    assert survey.profile is not None
    assert survey.profile.rows == 228 and survey.profile.header_lines == 2
    assert survey.kind == "survey"
    names = [c.name for c in survey.profile.columns]
    assert names[0] == "StartDate"  # "Start Date" below says the same thing
    confident = survey.profile.columns[names.index("StartDate") + 21]
    assert confident.name.startswith("Q4_1: Click the button that shows how confident")
    assert confident.role == "rating" and confident.stats is not None
    assert confident.stats.mean == pytest.approx(4.224, abs=0.001)
    got = roles(survey)
    assert got["LocationLatitude"] == got["LocationLongitude"] == "other"  # a place, not a figure
    assert all(got[n] == "likert" for n in names if n.startswith(("Q5_", "Q6_")))  # Definitely false … true
    # The first respondent is data row 1, not the wording line.
    first = survey.records[0]
    assert first.locator.row == 1 and first.attributes["ResponseId"] == "R_2dJQH2hxIF5PPIH"


def test_a_month_beside_a_date_is_not_the_records_time_and_a_constant_word_is_no_id() -> None:
    feedback = load(next((FILES / "gtn_tutorial_feedback").glob("*.csv")))
    got = roles(feedback)
    assert got["date"] == "timestamp" and got["month"] == "other"  # "2018-09-14" beside "2018-09"
    assert got["note"] == "rating"  # 0-5 stars given with the pro and con texts
    assert feedback.kind == "review"
    events = roles(load(next((FILES / "ogd_waves_game_events").glob("*.tsv"))))
    assert events["app_id"] == "other"  # "WAVES" on all 2,138 rows names the app, it tells no row apart


def test_a_version_question_answered_with_several_versions_is_a_multi_select() -> None:
    survey = load(next((FILES / "spack_user_survey_2025").glob("*.csv")))
    got = roles(survey)
    assert got["What version(s) of Spack do you use?"] == "multi_select"  # "0.23, develop (1.0.0dev0)"
    assert got["How long have you been using Spack?"] == "measure"  # years, not a 0-10 score
    assert all(
        role == "likert"
        for name, role in got.items()
        if name.startswith("How would you rate the overall quality")
    )  # Horrible … Excellent


def test_a_bug_reports_description_in_the_reporters_words_is_customer_voice() -> None:
    bugs = load(next((FILES / "gitbugs_seamonkey_bug_reports").glob("*.csv")))
    # "Steps to reproduce: I opened…": four in ten say "I" or "my"; a catalogue's descriptions never do.
    assert roles(bugs)["Description"] == "customer_text"
    inventory = roles(load(SHARED / "gc_service_inventory_channels" / "si_2024.csv"))
    assert inventory["service_description_en"] == "company_text"


def test_a_saved_frames_index_with_gaps_is_row_numbers() -> None:
    feedback = load(next((FILES / "gtn_tutorial_feedback").glob("*.csv")))
    # 0, 1, 2, 4, …: the index pandas wrote after rows were dropped, not a quantity.
    assert roles(feedback)["column_1"] == "identifier"


def test_host_names_group_a_site_report_and_scheme_less_links_name_pages() -> None:
    pages = roles(load(next((FILES / "dap_ga4_all_domains_pages").glob("*.csv"))))
    assert pages["domain"] == "segment"  # "www.irs.gov" on many rows
    assert pages["page"] == "identifier"  # "sam.gov/…": a page, no "https://" in front


def test_a_reply_content_column_is_the_organisations_and_new_users_is_a_count() -> None:
    reviews = load(next((FILES / "covid_obs_stopcorona_play_reviews").glob("*.json")))
    got = roles(reviews)
    # "replyContent": "content" is a word any text column carries; "reply" says who wrote it.
    assert got["replyContent"] == "company_text" and got["content"] == "customer_text"
    daily = roles(load(next((FILES / "upworthy_ga_daily_users").glob("*.csv"))))
    assert daily["New Users"] != "user_id"  # "67,283" new users a day is a count, not a person


def test_ticked_options_count_over_everyone_and_a_repeated_option_header_is_still_a_tick() -> None:
    survey = load(next((FILES / "coderefinery_pre_workshop_typeform_2018").glob("*.csv")))
    python = next(d for d in survey.distributions if d.column == "Python")
    # 38 of 48 respondents ticked Python: a blank is "not chosen", not "did not answer".
    assert python.blank_is_no and python.respondents == 48
    assert python.true_share == pytest.approx(38 / 48)
    assert "a blank cell is read as not chosen" in python.how
    got = roles(survey)
    assert got["CMake_63"] == "flag"  # the second "CMake" option header, renamed to keep it apart
    assert got["Other_54"] == "customer_text"  # one write-in typed into an "Other" box
    post = roles(load(next((FILES / "coderefinery_post_workshop_survey_2021").glob("*.csv"))))
    recommend = (
        "Impact of the workshop: Would you recommend your colleagues to attend a CodeRefinery workshop?"
    )
    assert (
        post[recommend] != "identifier"
    )  # "CodeRefinery" holds the word "code"; two answers tell no row apart


def test_traffic_counts_at_one_step_are_measures_not_a_funnel() -> None:
    daily = roles(load(next((FILES / "upworthy_ga_daily_users").glob("*.csv"))))
    # Users, sessions and page views all stand at the visit step: nothing converts to anything.
    assert daily["Users"] == daily["Sessions"] == daily["Pageviews"] == "measure"
    funnel = roles(load(ROOT / "knowledge" / "analytics" / "funnel_weekly_by_device.csv"))
    assert funnel["visit"] == funnel["order"] == "funnel_count"  # a real funnel keeps its steps


def test_a_request_log_with_one_id_a_row_is_records_not_an_event_log() -> None:
    log = load(FILES / "qsv_boston311_requests" / "boston311-100.csv")
    assert log.kind == "ticket" and log.profile is not None and log.profile.shape != "event_log"
    got = roles(log)
    assert got["type"] != "event_name"  # every case id differs: no journey has two events
    # "Case Closed. Closed date : …" opens nearly every note: a template the staff fill in.
    assert got["closure_reason"] == "company_text"
    # "0302" keeps its zero and a district is a place: codes, not quantities.
    assert got["precinct"] == got["neighborhood_services_district"] == "segment"


def test_an_event_logs_numbered_variants_and_letter_codes_are_groups() -> None:
    path = FILES / "eventdatar_sepsis_cases" / "sepsis.csv"
    got = roles(load(path))
    assert got["Variant"] == "segment"  # "Variant 710": one word numbering paths shared by many cases
    assert got["Diagnose"] == "segment"  # "C", "B", "AB": 145 codes, each on several cases
    steps = ["ER Registration", "ER Sepsis Triage", "IV Antibiotics", "Admission NC"]
    result = compute_funnel(path, steps=steps, window_seconds=0)
    # Counted by hand on the ';'-separated file: cases with every step up to k, in any order.
    assert [s.count for s in result.steps] == [1050, 1049, 823, 698]


def test_too_little_about_right_too_much_answers_are_an_ordered_scale() -> None:
    survey = load(FILES / "uppmax_hpc_python_msforms_eval_2023" / "evaluation_20230523.csv")
    assert survey.profile is not None
    length = survey.profile.column("Length of course was")
    pace = survey.profile.column("The pace of teaching was")
    assert length is not None and pace is not None
    assert length.role == pace.role == "likert"
    assert length.scale_labels == ["Too short", "Adequate", "Too long"]
    assert pace.scale_labels == ["Too slow", "Adequate"]  # the lower end first, even with one end seen
    aids = survey.profile.column("Teaching aids used (e.g. slides) were well prepared")
    assert aids is not None and aids.role == "likert"  # "Disagree completely" .. "Agree completely"


def test_a_grid_of_one_to_five_answers_under_long_headers_is_a_survey_of_ratings() -> None:
    grid = load(FILES / "ohbm2021_annual_meeting_eval" / "ohbm2021-annual-meeting-eval.csv")
    assert grid.kind == "survey"
    assert set(roles(grid).values()) == {"rating"}
    codes = load(UCI)  # short headers over small codes ("Region", "OperatingSystems") stay attributes
    assert roles(codes)["Region"] == "segment"


def test_an_exports_copied_columns_take_the_originals_role_and_an_activity_ends_when_it_completes() -> None:
    log = roles(load(FILES / "simod_consulta_data_mining" / "ConsultaDataMining201618.csv"))
    # Disco writes the activity twice and the variant as a label and as its number.
    assert log["Activity"] == log["concept:name"] == "event_name"
    assert log["Variant"] == log["Variant index"] == log["(case) variant-index"] == "segment"
    # Start and complete times of each activity: the event happened when it completed.
    assert log["Complete Timestamp"] == "timestamp" and log["Start Timestamp"] == "other"


def test_epoch_milliseconds_are_times_and_a_minus_one_to_one_code_is_a_state() -> None:
    board = roles(load(FILES / "polis_bowling_green_civic_comments" / "comments.csv"))
    # 1517... ms since 1970 under "timestamp" is the record's time; the same instant as text is not.
    assert board["timestamp"] == "timestamp" and board["datetime"] == "other"
    assert board["moderated"] == "segment"  # -1 rejected, 1 accepted: nothing to add up
    reviews = roles(
        load(FILES / "kiwix_play_console_reviews_2016_11" / "reviews_org.kiwix.kiwixmobile_201611.csv")
    )
    assert reviews["Review Submit Millis Since Epoch"] == "other"  # a second copy of a time, not an id


def test_a_typed_in_attribute_with_a_long_tail_is_still_a_segment() -> None:
    survey = roles(load(FILES / "dask_user_survey_2021" / "2021-user-survey-results.csv"))
    # "Geoscience" 42 times, "Farming" once: the answers are shared, whoever typed them.
    assert survey["What industry do you work in?"] == "segment"


def test_counts_withheld_as_under_twenty_leave_a_column_of_counts_with_totals() -> None:
    installs = load(FILES / "covid_alert_installs_os_version" / "installs_os_av.daily-journalier.csv")
    assert installs.profile is not None
    count = installs.profile.column("count-nombre")
    assert count is not None and count.role == "measure" and "too small to publish" in count.reason
    assert count.stats is not None and count.stats.total == 1988999  # the published counts, by hand


def test_text_in_a_script_the_first_person_words_do_not_cover_stays_the_writers() -> None:
    requests = roles(load(FILES / "cofacts_reply_requests_2019" / "reply_requests_records45077-45436.csv"))
    assert requests["reason"] == "customer_text"  # "不知道是否謠言": no English "I", still the person asking
    assert requests["userIdsha256"] == "identifier"  # a user id, hashed: the digest word is glued on


def test_a_weekly_table_with_a_year_column_computes_its_funnel_and_weeks_are_periods() -> None:
    path = FILES / "coronamelder_tests_after_notification" / "ggd_weekly_tests_following_notification_CM.csv"
    got = roles(load(path))
    assert got["Week"] == got["Month"] == "other"  # 1-53: which week, not how many
    # A BIGINT "Year" as the period once crashed the count (DuckDB pushed a DATE cast into the reader).
    result = compute_funnel(
        path, steps=["Test Requests", "Total Test Results", "Total Positive"], window_seconds=0
    )
    assert [s.count for s in result.steps] == [339558, 316002, 53311]  # summed by hand over all rows
    assert any(w.kind == "later_step_larger" for w in result.warnings)  # results above requests on 9 rows


def test_an_option_line_that_repeats_single_answer_headers_is_still_a_header() -> None:
    survey = load(FILES / "todo_ospo_survey_2018" / "results.csv")
    assert survey.profile is not None and len(survey.profile.columns) == 174
    names = [c.name for c in survey.profile.columns]
    # The blank headers of a select-all question take its option names from the second line.
    assert names[5].startswith("Where is your company or organization on its open source journey?")
    assert names[5].endswith("Contributing to upstream open source projects")
    got = roles(survey)
    assert got["Start Date"] == "timestamp"  # 43290.53487: a spreadsheet's day number
    start = survey.profile.column("Start Date")
    assert start is not None and start.stats is not None and start.stats.first is not None
    assert start.stats.first.startswith("2018-06-15")  # the first response, by hand
    # Never / Rarely / Sometimes / Frequently / Don't know: how often, an ordered scale.
    assert survey.profile.columns[11].role == "likert"


def test_numbered_word_ends_of_a_scale_count_as_their_points() -> None:
    survey = load(FILES / "k8s_contribex_survey_2019" / "contribex-survey-2019.csv")
    assert survey.profile is not None
    grid = survey.profile.columns[60]  # "5: everyday", "4", "3: several times a month", "2", "1: never"
    assert grid.role == "rating" and grid.anchors.get("5: everyday") == 5.0
    assert grid.stats is not None and grid.stats.mean == pytest.approx(4.236, abs=0.001)  # by hand


def test_an_incident_log_with_states_is_an_event_log_and_its_priorities_are_attributes() -> None:
    log = load(FILES / "servicenow_incident_event_log" / "incident_event_log.csv")
    assert log.kind == "analytics"
    got = roles(log)
    assert got["incident_state"] == "event_name"  # New, Active, Resolved, Closed per incident
    assert got["priority"] == got["impact"] == "segment"  # "1 - High" .. "3 - Low" outside a survey
    assert got["active"] == "flag"
    # Each row is an update of an incident: opened_at is the same on all of an incident's rows.
    assert got["sys_updated_at"] == "timestamp" and got["opened_at"] == "other"


def test_one_word_names_and_initials_are_still_names_of_things() -> None:
    films = roles(load(FILES / "letterboxd_reviews_export_2025" / "reviews.csv"))
    assert films["Name"] == "segment"  # "Interstellar", "Rise of the Planet of the Apes": films, not feedback
    books = roles(load(FILES / "goodreads_library_export_2022" / "goodreads_library_export.csv"))
    assert books["Author l-f"] == "segment"  # "Feynman, Richard P.": an initial's full stop ends no sentence
    # "Date Read" is filled on 41 of 315 books; "Date Added" on all: that is when each record happened.
    assert books["Date Added"] == "timestamp" and books["Date Read"] == "other"


def test_a_report_export_loses_its_title_lines_and_totals_row_and_keeps_its_second_table() -> None:
    from assistant.ingest.loaders import pick_loader
    from assistant.ingest.workbooks import table_parts

    def load_bytes(part: Path, data: bytes | None) -> Loaded:
        assert data is not None
        return pick_loader(part, data)(data, part.name, None, None)

    path = FILES / "issarice_ga_pages_report" / "Analytics_All_Web_Site_Data_Pages_20140901-20161231.csv"
    parts = table_parts(path, path.read_bytes)
    # "# All Web Site Data" lines are the report's title; "Day Index,Pageviews" below is a table too.
    assert [p.name for p, _ in parts] == [path.name, f"{path.stem} - table 2.csv"]
    pages = load(path)
    assert pages.profile is not None and pages.profile.rows == 613  # counted by hand
    assert pages.profile.totals_row == 614  # the row of totals, kept out of the figures
    views = pages.profile.column("Pageviews")
    assert views is not None and views.stats is not None and views.stats.maximum == 12787
    got = roles(pages)
    assert got["Page"] == "identifier" and got["Avg. Time on Page"] == "measure"
    days = load_bytes(*parts[1])
    assert days.profile is not None and days.profile.rows == 853 and days.profile.totals_row == 854


def test_limesurvey_options_and_numbered_scale_ends_in_parentheses() -> None:
    survey = load(FILES / "ssi_de_rse_survey_2017" / "public_data.csv")
    got = roles(survey)
    funding = [n for n in got if n.startswith("fund3[10].")]
    assert funding and got[funding[0]] == "flag"  # "Which sources…? [Industry support]": a ticked option
    # Between options nobody ticked ("No" on all 325 rows), [Computer Science] is still an option.
    science = [n for n in got if n.startswith("currentEmp13[17].")]
    assert science and got[science[0]] == "flag"
    time = [n for n in got if n.startswith("likert0[time2can].")]
    assert time and got[time[0]] == "rating"  # "\ufeff1 (None at all)", 2 … 9, "10 (All my time)"
    enjoyment = [n for n in got if n.startswith("likert2[affSat1].")]
    assert enjoyment and got[enjoyment[0]] == "likert"  # "Neither agree or disagree" is the middle
    # Only 11 of 325 answers chose an end ("1 (None at all)", "10 (All my time)"): still one scale.
    spent = [n for n in got if n.startswith("likert0[time1can].")]
    assert spent and got[spent[0]] == "rating"
    assert survey.profile is not None
    satisfied = next(c for c in survey.profile.columns if c.name.startswith("likert3[satisgen1]."))
    # "\ufeff0 - Not at all satisfied": the byte-order mark inside the label is dropped, so the three
    # answers at 0 count (mean of 269 answers by hand: 6.848).
    assert satisfied.stats is not None and satisfied.stats.mean == pytest.approx(6.848, abs=0.001)


def test_the_funnel_command_reads_a_report_export_as_ingest_does() -> None:
    from typer.testing import CliRunner

    from assistant import cli

    path = FILES / "issarice_ga_pages_report" / "Analytics_All_Web_Site_Data_Pages_20140901-20161231.csv"
    runner = CliRunner()
    first = runner.invoke(cli.app, ["funnel", str(path)])
    # A pages report names no funnel step; the message lists its real header, not the title line.
    assert first.exit_code == 2 and "columns: Page, Pageviews, Unique Pageviews" in first.output
    second = runner.invoke(cli.app, ["funnel", str(path), "--table", "2"])
    assert (
        second.exit_code == 2
        and "table 2.csv" in second.output
        and "columns: Day Index, Pageviews" in second.output
    )
    missing = runner.invoke(cli.app, ["funnel", str(path), "--table", "3"])
    assert missing.exit_code == 2 and "holds 2 table(s)" in missing.output


def test_a_poor_okay_great_grid_is_an_ordered_scale() -> None:
    survey = load(FILES / "otel_docs_usability_survey_2024" / "otel-docs-usability-survey.csv")
    assert survey.profile is not None
    grid = [c for c in survey.profile.columns if c.name.startswith("How would you rate your experience")]
    # Poor / Okay / Great (and "N/A", no answer) for 14 parts of the docs: one ordered scale each.
    assert len(grid) == 14 and sum(c.role == "likert" for c in grid) >= 13


def test_a_header_about_releases_over_answers_without_numbers_is_not_a_version() -> None:
    # "How is Dask's release frequency?" is answered "Releases are too frequent"; the Strimzi survey's
    # "Build feature" is answered "I use it". Neither holds a version, so neither is a version segment.
    dask = roles(load(FILES / "dask_user_survey_2021" / "2021-user-survey-results.csv"))
    assert dask["How is Dask's release frequency?"] != "segment"
    strimzi = roles(load(FILES / "cncf_strimzi_2022" / "Strimzi_Survey_2022.csv"))
    assert strimzi["Which best describes your use of the Kafka Connect Build feature?"] == "closed_single"


def test_age_bands_written_n_to_m_are_not_a_numbered_scale() -> None:
    # "25 to 34 years": a band of ages, not the point 25 of a scale labelled "to 34 years".
    survey = load(FILES / "ssi_de_rse_survey_2017" / "public_data.csv")
    assert roles(survey)["socio3. Please select your age"] == "segment"


def test_a_tab_file_that_escapes_quotes_with_a_backslash_is_read_not_refused() -> None:
    # The ODCS Qualtrics export (re-saved by its authors) writes "Open data should be \"AI-Ready\""
    # and ends one answer with a backslash ("Running\"): both read, every row kept.
    path = FILES / "odcs_open_data_community_survey_2025" / "ODCS2025-ARR.tab"
    survey = load(path)
    assert survey.profile is not None and survey.profile.rows == 329
    assert len(survey.profile.columns) == 110
    # The answer that ends in a backslash stays one field, backslash kept.
    assert any("Running\\" in str(v) for r in survey.records for v in r.attributes.values())


def test_minus_99_is_no_answer_and_numbered_item_codes_make_a_questionnaire() -> None:
    # A PLS-SEM teaching survey: items coded cusa, cusl_1..3, qual_1..8 on 1-7, -99 for no answer.
    survey = load(FILES / "seminr_corp_rep_survey" / "corp_rep_data.csv")
    assert survey.kind == "survey"
    assert survey.profile is not None
    satisfaction = survey.profile.column("cusa")
    assert satisfaction is not None and satisfaction.stats is not None
    assert satisfaction.missing_codes == ["-99"]
    # Hand-computed over the 343 answers that are not -99 (344 rows).
    assert satisfaction.stats.mean == pytest.approx(5.4402, abs=1e-4)
    assert sum(roles(survey)[f"qual_{n}"] == "rating" for n in range(1, 9)) == 8
    # `journey inspect` says so, where the user can see a wrong code and correct it.
    shown = preview_file(FILES / "seminr_corp_rep_survey" / "corp_rep_data.csv").lines()
    assert any(line.split()[:1] == ["cusa"] and "-99 read as no answer" in line for line in shown)


def test_an_average_of_a_time_is_a_measure_not_a_score() -> None:
    # Matomo's avg_time_generation (0.004-8.574 seconds) is not an average rating out of 10.
    visits = load(FILES / "openzh_ogd_dataset_visits_2020_07" / "ZH_Datasets_UniqueActions_2020-07.csv")
    assert roles(visits)["avg_time_generation"] == "measure"


def test_a_report_keyed_by_label_groups_its_rows_by_that_label() -> None:
    # Matomo's site-search report: one row per keyword, under "label".
    report = load(
        FILES / "openzh_ogd_catalogue_search_terms_2022q1" / "ZH_Datacatalog_SearchTerms_2022_Q1.csv"
    )
    assert roles(report)["label"] == "segment"


def test_a_weekday_coded_0_to_6_is_a_segment() -> None:
    bikes = load(FILES / "islp_bikeshare_hourly" / "Bikeshare.csv")
    assert roles(bikes)["weekday"] == "segment"


def test_a_not_applicable_answer_beside_a_1_to_5_scale_is_counted_not_averaged() -> None:
    # Bioconductor 2019: "Not Applicable / Rarely use" is 49 of the 114 answers on the Shiny item.
    survey = load(FILES / "bioconductor_community_survey_2019" / "responses_final.csv")
    assert survey.profile is not None
    item = next(c for c in survey.profile.columns if c.name.endswith("[Interactive R/Shiny]"))
    assert item.role == "rating" and item.off_scale == ["Not Applicable / Rarely use"]
    dist = next(d for d in survey.distributions if d.column == item.name)
    share = {a.value: a.share for a in dist.answers}["Not Applicable / Rarely use"]
    assert share == pytest.approx(49 / 114)
    # Hand-computed over the 65 answers on the scale.
    assert dist.mean == pytest.approx(3.5385, abs=1e-4)


def test_minus_one_among_counts_is_a_suppressed_count_not_a_number() -> None:
    # Immuni's weekly per-region counts write "<= 5" as -1 (its format file says so): half the rows.
    table = load(FILES / "immuni_weekly_regional_trend" / "andamento-settimanale-dati-regionali.csv")
    assert table.profile is not None
    positives = table.profile.column("utenti_positivi")
    assert positives is not None and positives.stats is not None
    assert positives.missing_codes == ["-1"]
    assert positives.stats.total == 79816  # by hand, over the 961 weeks with a count
    sent = table.profile.column("notifiche_inviate")
    assert sent is not None and sent.stats is not None and sent.stats.median == 42.5


def test_minus_one_beside_small_numbers_stays_a_number() -> None:
    from assistant.profiling.values import suppression_codes

    # A change of -1, 0, 1 or 2 points is a difference, not a suppressed count.
    assert suppression_codes(["-1", "0", "1", "2", "1", "0"]) == set()
    assert suppression_codes(["-1", "12", "40", "7", "-1"]) == {"-1"}
    assert suppression_codes(["-1", "-3", "12", "40"]) == set()  # several negatives: real values
