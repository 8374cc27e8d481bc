## Readings and consumption (SPEC §3.9): src/web/readings.rs, templates/readings.html.

readings-title = Readings and consumption
readings-point = Consumption point:
readings-no-meter = There is no water meter at this point, so there are no readings and no water consumption (only waste collection is billed).
readings-consumption-heading = Consumption by period
readings-period-label = Show consumption
readings-period-month = by month
readings-period-quarter = by quarter
readings-period-year = by year
readings-from-label = From month
readings-to-label = To month
readings-month-hint = For example 2024-01 or 1/2024.
readings-show = Show
readings-error-period = Choose consumption by month, quarter or year.
readings-error-from = Enter the first month as a year and month, for example 2024-01 or 1/2024.
readings-error-to = Enter the last month as a year and month, for example 2024-12 or 12/2024.
readings-error-order = The last month must not be before the first.
readings-error-too-long = The range can be at most { $years } years long.
# $quarter: 1 to 4; $year: the year.
readings-quarter = Q{ $quarter } { $year }
readings-chart-title-month = Water consumption by month in m³
readings-chart-title-quarter = Water consumption by quarter in m³
readings-chart-title-year = Water consumption by year in m³
# $from, $to: the first and last period; $total: a volume with its unit.
readings-chart-description = Bar chart of consumption from { $from } to { $to }, { $total } in total.
# $highest: a volume with its unit; $period: the period.
readings-chart-highest = The highest, { $highest }, in { $period }.
readings-chart-missing = { $missing ->
    [one] There is no data for { $missing } period.
   *[other] There is no data for { $missing } periods.
}
readings-chart-partial = { $partial ->
    [one] { $partial } period is only partly covered.
   *[other] { $partial } periods are only partly covered.
}
readings-chart-see-table = The same figures are in the table below the chart.
readings-legend-full = consumption in the period
readings-legend-partial = data for part of the period only
readings-legend-none = no data
readings-periods-caption = Consumption by period in m³ (the same figures as the chart)
readings-col-period = Period
readings-col-period-consumption = Consumption (m³)
readings-col-note = Note
readings-no-data = no data
# $covered: days with data; $days: days in the period.
readings-partial = data for { $covered } of { $days } days
readings-csv-link = Download the table (CSV)
readings-csv-header = Period;Consumption (m³);Days with data;Days in period
readings-list-heading = Readings
readings-list-caption = Meter readings, newest first, with the consumption since the previous reading of the same meter
readings-none-yet = There are no readings for this point yet.
readings-col-date = Date
readings-col-meter = Meter
readings-col-value = Reading (m³)
readings-col-source = Source
readings-col-consumption = Consumption since the previous reading (m³)
readings-source-reader = read by the utility
readings-source-estimate = estimate
readings-source-customer = reported by the customer
readings-source-install = meter installed
readings-source-removal = meter removed
readings-rolled-over = the meter went past zero
readings-anomaly-fall = The reading is lower than the previous one: no consumption computed (possibly a misreading).
readings-anomaly-outside-life = The reading is dated outside the time the meter was installed, so it is not counted.
readings-not-counted = Another reading of this meter on the same day is counted.
