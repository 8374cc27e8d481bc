# The first page after sign-in; the lines follow the manual's list of the portal's functions.
home-point = Chosen consumption point
home-cards = What you can do on ePortal
home-card-point = Details of the consumption point, its services, meters and payer.
home-card-readings = Consumption of the point with a graph by period.
home-card-prices = The price list: the services billed, with their latest prices.
home-card-new-reading = Enter a meter reading; we check it and send a confirmation to your e-mail address.
home-card-invoices = The invoices issued to you.
home-card-open-items = Your open items, and paying them with a UPN QR code.
home-card-contact = A message to us by form, office hours and contact details.
home-card-profile = Change your display name, e-mail address and password.
