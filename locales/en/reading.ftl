## Meter reading entry: the checks of a submitted reading (src/domain/reading_check.rs).
## Numbers and dates in the arguments come formatted, e.g. "1.234,567 m³", "31. 1. 2024".

reading-missing = Please enter the meter reading.
reading-not-a-number = Enter the meter reading as a number with a decimal comma or point, for example 1234,567.
# $example: a value with as many decimals as the dial shows.
reading-too-many-decimals = The meter reading has too many decimals. Enter it as the meter shows it, for example { $example }.
reading-out-of-dial-range = The meter cannot show a value this large; the largest possible is { $max }. Please check that you have not typed an extra digit.
reading-in-future = The reading date cannot be in the future.
reading-before-last = The reading date cannot be before the date of the last reading ({ $last_date }).
reading-below-last = The meter reading cannot be lower than the last reading ({ $last_value } on { $last_date }).
# $wraps: "yes" when the window reaches into the next month (e.g. the 25th to the 5th).
reading-outside-window = { $wraps ->
    [yes] The reading date must be between day { $from_day } of a month and day { $to_day } of the next month.
   *[no] The reading date must be between day { $from_day } and day { $to_day } of the month.
}

## Confirming an unusually high consumption

reading-confirm-above-usual = This reading means you have used { $consumption } since the last reading ({ $last_date }), { $daily } a day on average. That is more than { $factor } times your usual daily consumption ({ $usual }). Please check that you have copied the reading correctly, then confirm it.
reading-confirm-high = This reading means you have used { $consumption } since the last reading ({ $last_date }), { $daily } a day on average, which is unusually high (more than { $cap } a day). Please check that you have copied the reading correctly, then confirm it.
reading-leak-hint = If the reading is right, water may be leaking somewhere. Turn off all taps and watch the meter: if it still turns, water is escaping.
