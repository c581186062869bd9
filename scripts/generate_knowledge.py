# ruff: noqa: E501
# (E501 is off for this file only: it is mostly hand-written customer text, one item per line.)
"""Generate the tabular part of the Larkspur Home sample knowledge base and its ground truth.

Larkspur Home is a fictional UK online retailer; every person, order and figure here is synthetic.

Run from the repository root:

    python3 scripts/generate_knowledge.py

Writes (deterministically, fixed seed, standard library only):

    knowledge/survey/customer_survey_2026q3.csv
    knowledge/tickets/support_tickets.csv
    knowledge/reviews/app_store_reviews.csv
    knowledge/analytics/funnel_weekly_by_device.csv
    knowledge/analytics/events.csv
    evals/ground_truth/records.csv
    evals/ground_truth/planted_causes.yaml
    evals/ground_truth/as_is_map_claims.yaml

and then checks the hand-written files that point into the generated ones
(evals/datasets/retrieval.yaml, evals/ground_truth/interviews.yaml). The product never imports this
script; it exists so the sample data and its answers can be rebuilt and audited.

How the text is made: every record has a label (stage, cause, sentiment) fixed *before* its text is
written. Counts per (source, stage, cause) come from the ALLOCATION table, so the planted shares are
known exactly; the ground truth is nevertheless computed from what was written, not from the table.
Texts are hand-written standalone records (used verbatim, including the retrieval "needles") or are
composed from hand-written pools: per cause 40+ ways customers say it, plus openers, contexts,
consequences, asides and sign-offs, with light typo injection.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import random
import re
import sys
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

SEED = 20260406
ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
GROUND_TRUTH = ROOT / "evals" / "ground_truth"
RETRIEVAL = ROOT / "evals" / "datasets" / "retrieval.yaml"

WINDOW_START = date(2026, 4, 6)
WINDOW_END = date(2026, 10, 4)
SURVEY_START = date(2026, 7, 1)
SURVEY_END = date(2026, 9, 30)
APP_UPDATE = date(2026, 7, 13)  # app 5.14.0: the release after which mobile payments degrade

STAGES = ["awareness", "consideration", "purchase", "delivery", "use", "support", "loyalty"]
PURCHASE_CAUSES = [
    "shipping_cost_late",
    "forced_account",
    "mobile_payment_failure",
    "promo_code_confusion",
]
CAUSE_STAGE = {
    "shipping_cost_late": "purchase",
    "forced_account": "purchase",
    "mobile_payment_failure": "purchase",
    "promo_code_confusion": "purchase",
    "late_delivery": "delivery",
    "tracking_not_updating": "delivery",
    "slow_refund": "support",
    "hard_to_reach_support": "support",
    "unclear_sizing_dimensions": "consideration",
    "assembly_instructions": "use",
    "points_not_credited": "loyalty",
    "irrelevant_ads": "awareness",
}

SRC_T = "support_tickets.csv"
SRC_S = "customer_survey_2026q3.csv"
SRC_R = "app_store_reviews.csv"

REGIONS = [
    ("London", 20),
    ("South East", 16),
    ("South West", 9),
    ("Midlands", 15),
    ("North West", 11),
    ("North East & Yorkshire", 12),
    ("Scotland", 8),
    ("Wales", 5),
    ("Northern Ireland", 4),
]
AGE_BANDS = [("18-24", 10), ("25-34", 24), ("35-44", 24), ("45-54", 18), ("55-64", 14), ("65+", 10)]

# ---------------------------------------------------------------------------------------------
# Allocation: how many text records of each (stage, cause) each source gets. "" = no planted
# cause (positive, neutral or other negative feedback in that stage). Standalone records count
# against these numbers; composed records fill the rest.
# ---------------------------------------------------------------------------------------------
ALLOCATION: dict[tuple[str, str], dict[str, int]] = {
    ("purchase", "shipping_cost_late"): {SRC_T: 40, SRC_S: 42, SRC_R: 26},
    ("purchase", "forced_account"): {SRC_T: 26, SRC_S: 26, SRC_R: 20},
    ("purchase", "mobile_payment_failure"): {SRC_T: 28, SRC_S: 8, SRC_R: 18},
    ("purchase", "promo_code_confusion"): {SRC_T: 14, SRC_S: 8, SRC_R: 8},
    ("purchase", ""): {SRC_T: 18, SRC_S: 14, SRC_R: 16},
    ("delivery", "late_delivery"): {SRC_T: 50, SRC_S: 14, SRC_R: 4},
    ("delivery", "tracking_not_updating"): {SRC_T: 30, SRC_S: 6, SRC_R: 8},
    ("delivery", ""): {SRC_T: 50, SRC_S: 14, SRC_R: 6},
    ("support", "slow_refund"): {SRC_T: 44, SRC_S: 8, SRC_R: 4},
    ("support", "hard_to_reach_support"): {SRC_T: 18, SRC_S: 8, SRC_R: 8},
    ("support", ""): {SRC_T: 46, SRC_S: 6, SRC_R: 4},
    ("consideration", "unclear_sizing_dimensions"): {SRC_T: 22, SRC_S: 10, SRC_R: 4},
    ("consideration", ""): {SRC_T: 16, SRC_S: 8, SRC_R: 20},
    ("use", "assembly_instructions"): {SRC_T: 16, SRC_S: 8, SRC_R: 2},
    ("use", ""): {SRC_T: 14, SRC_S: 40, SRC_R: 16},
    ("loyalty", "points_not_credited"): {SRC_T: 16, SRC_S: 6, SRC_R: 8},
    ("loyalty", ""): {SRC_T: 6, SRC_S: 18, SRC_R: 10},
    ("awareness", "irrelevant_ads"): {SRC_T: 2, SRC_S: 5, SRC_R: 5},
    ("awareness", ""): {SRC_T: 0, SRC_S: 6, SRC_R: 3},
    ("none", ""): {SRC_T: 14, SRC_S: 35, SRC_R: 44},
}
SURVEY_EMPTY_SHARE = 0.25  # share of survey rows with an empty comments field

# ---------------------------------------------------------------------------------------------
# Fillers
# ---------------------------------------------------------------------------------------------
# Singular nouns only: templates say "the {item} was".
ITEMS = """duvet cover
king size duvet
set of four wine glasses
bath towel set
pair of linen curtains
cast iron pan
oak bedside table
bookcase
jute rug
table lamp
mattress topper
pair of pillows
kettle
toaster
cutlery set
dinner set
storage basket
wardrobe
ottoman bed
shower curtain
tea towel set
knitted throw
hallway mirror
chopping board
knife block
desk chair
bath mat
fitted sheet
cushion
coffee table
laundry basket
stoneware mug set
saucepan set
bed frame
blackout blind""".splitlines()

FEES = ["£3.95", "£4.99", "£5.99", "£6.95", "£7.50", "£8.99", "£12.95", "£19.99"]
CODES = ["SUMMER20", "WELCOME10", "LARK15", "BEDDING25", "FREEDEL", "HOME10", "FRIENDS15", "PLUS20", "SALE30"]
DAYS = ["9 days", "11 days", "12 days", "two weeks", "16 days", "a week and a half", "8 working days", "three weeks"]
POSTCODES = ["M14 5RT", "BS3 4QJ", "LS6 2AB", "CF24 3DG", "SE15 4NX", "G12 8QQ", "B29 6BD", "NE6 1TL", "EH6 7JR", "RG1 8DU", "L17 0AS", "BT9 5AF", "OX4 1LZ", "PL4 6NS", "NG7 2RD", "SW9 8HE"]
FIRST_NAMES = """Sarah
James
Emma
Mohammed
Claire
David
Rebecca
Tom
Aisling
Hannah
Gareth
Priya
Lucy
Dan
Fiona
Kieran
Joanne
Amir
Beth
Martin
Nicola
Owen
Rachel
Sam
Zara
Ian
Leanne
Chris
Megan
Paul
Yasmin
Rhys
Karen
Ewan
Sophie
Wojciech
Grace
Ahmed
Jen
Callum""".splitlines()
SURNAMES = ["Baxter", "Khan", "Morgan", "O'Neill", "Patel", "Hughes", "Campbell", "Wright", "Evans", "Doherty", "Thompson", "Ali", "Fraser", "Jones", "Clarke", "Nowak", "Reid", "Shah", "Walsh", "Turner"]
AGENTS = ["Megan", "Tom", "Priya", "Jordan", "Aisha", "Luke", "Kelly", "Sunil", "Rosa", "Dean"]

# ---------------------------------------------------------------------------------------------
# Cause pools: 40+ ways customers say each planted cause (first person, any source).
# ---------------------------------------------------------------------------------------------
CAUSE_CORES: dict[str, str] = {}
CAUSE_CORES["shipping_cost_late"] = """Delivery cost only showed up on the very last page, {fee} on top of what I thought was the total.
Why do I have to get all the way to payment before you tell me what postage is??
The {item} was a good price until I got to checkout and delivery added {fee}.
I thought delivery was free, the banner said so, but at the end it was {fee}.
hidden delivery charges at the end. not cool
Went to pay and suddenly there's a {fee} delivery charge that wasn't mentioned anywhere on the product page.
Shipping costs should be shown up front, not sprung on you at the final step.
{fee} to deliver a {item}? And you only tell me after I've typed in my whole address.
The postage was almost more than the item itself. Would have been nice to know before I filled everything in.
I abandoned my basket twice because the delivery charge appeared at the last minute and I had to go away and think about it.
Nowhere on the site could I find what delivery would cost until checkout.
Delivery fee jumped from the 'from £3.95' on the product page to {bigfee} at checkout. Misleading.
Total at the end was quite a bit more than my basket said because of postage.
I'd budgeted for the {item} and then there was delivery on top, which wasn't clear earlier.
Please put the delivery price on the basket page. I hate surprises at the till.
Big item delivery charge of {bigfee} only revealed once I'd got to the card details page. Felt a bit sneaky tbh.
The free delivery threshold isn't obvious, I only found out I was £3 short when I got to the end.
It said 'calculated at checkout' for delivery which basically means 'we'll tell you when it's too late'.
Delivery charges are too high and you don't see them until you're about to pay.
Nearly didn't bother, the shipping fee popped up right at the end.
Postage shock at the last step. {fee} for standard.
I compared the final price with another shop and once your delivery was added it wasn't cheaper any more.
The basket total doesn't include delivery so the number you see isn't the number you pay.
My order went from £38 to £46 at the final screen, all of it delivery.
Why is the delivery option hidden until the payment bit?
Expected free delivery as I'd spent over £40 before, apparently the threshold changed and nobody told me until checkout.
The delivery cost appearing at the end put me off. I closed the tab and came back the next day.
Too expensive to deliver, and I only found that out after creating an account and everything.
Delivery was {fee} which I only saw on the order summary. That should be on the product page.
Not happy that named-day delivery is {fee} and standard isn't even shown until you've gone through three screens.
surprise postage at checkout, again
The price on the listing was great but by the time delivery went on it was just average.
You show delivery as 'from £3.95' but mine was {bigfee} because it's a large item. Say that earlier please.
At the last step there was an extra {fee} for delivery and I felt a bit tricked.
I don't mind paying postage but I want to know what it is before I commit.
Had to go back and take the {item} out to keep the cost down, because I only saw the delivery charge at the end.
delivery price not shown till the end, very annoying on a phone when youve typed everything in
The final total was higher than the basket because of shipping and I nearly cancelled.
Delivery cost should not be a mystery until the payment page.
Checkout added {fee} delivery to a {item} that was already pricey.
I was shocked by the delivery cost on the last page, it isn't mentioned anywhere on the item.
You have to enter your postcode at the very end to see delivery, so of course people leave.
Spent ages choosing and then the delivery was {fee}. I'd have chosen differently if I'd known.
The delivery charge for my order only came up at the end and it was way more than I expected.""".splitlines()

CAUSE_CORES["forced_account"] = """Why do I need an account just to buy one {item}? Just let me check out as a guest.
Couldn't find a guest checkout option anywhere, had to make an account.
Forced to register to place an order. I don't want another password.
The password reset email took twenty minutes to arrive and by then I'd given up.
I tried to reset my password three times and it kept sending me back to the login page.
Making an account took longer than choosing the {item}.
please add guest checkout!!
It made me create an account halfway through checkout which I really didn't want to do.
Apparently I already had an account but couldn't remember it, and the reset link said expired.
Having to sign up to buy something is off-putting, I nearly left.
Your password rules are mad, it needs a symbol and a capital and 12 characters just to buy tea towels.
Login kept failing so I made a new account with a different email, which is silly.
Every time I get to checkout it logs me out and I have to log in again.
I was buying a present and didn't want an account, but there was no way round it.
The 'continue as guest' button has gone from the app, it's sign in or nothing now.
Why do you need my date of birth to buy a {item}?
Got stuck in a loop: reset password, log in, 'incorrect password', reset again.
Account creation at checkout is a pain on a phone, so many fields.
The verification code never came through so I couldn't finish setting up the account and couldn't order.
I don't want marketing emails and an account just to buy bedding.
Had to register before paying, I'd rather just pay and go.
The site insisted I log in and then said my email was already in use. It's my email!
Sign in with Apple didn't work so I had to make a normal account.
Creating an account was compulsory and the form kept clearing every time I got something wrong.
Wanted to check out quickly, ended up spending 10 mins making a password.
no guest checkout = lost sale from me
My account got locked after two wrong passwords and there was no way to unlock it at checkout.
I had an old account from years ago and it wouldn't let me use the same email for a new one or reset the old one.
Being made to sign up at the end of checkout felt like a trap.
the app forces you to create an account before you can even see delivery options
The password reset link opened the app instead of the browser and then did nothing.
Asked me to confirm my email before I could pay, and the confirmation email went to spam.
I just want to buy a {item}, not join a club.
Too many steps to register. Guest option please.
I got logged out mid-checkout and lost my basket.
Registering should be optional. It isn't.
Forgot my password, the reset didn't work, gave up and bought it elsewhere.
Having to create an account put me off, I nearly abandoned the order.
It's 2026, why is there no guest checkout on the app?
the sign in screen wouldn't accept my password even after resetting it twice
Had to make an account for a one-off purchase, will probably never use it again.
Wanted to buy as a guest, the button to do that just led back to 'create account'.""".splitlines()

CAUSE_CORES["mobile_payment_failure"] = """Apple Pay fails every time in the app, just spins and then says something went wrong.
My card kept getting declined on my phone but worked fine on the laptop.
The bank verification screen just hangs on my iPhone. Have to close the app and start again.
The Google Pay button does nothing on Android. Tapped it about ten times.
Payment failed three times in the app with 'error processing payment'. My card is fine.
3D secure page never loads on mobile, white screen forever.
Tried to pay on my phone and got stuck on the 'confirming with your bank' screen.
App crashes when I hit pay. Every single time since the update.
The Apple Pay sheet comes up, Face ID works, then 'payment not completed'.
Card payment on mobile times out, I've tried two different cards.
Says my card was declined but my bank says they never even saw the attempt.
The payment page on my phone won't let me type the security code, the keyboard covers the box.
since the latest update google pay doesnt work at all
Kept getting 'something went wrong, please try again' at payment on the app. Gave up.
Couldn't pay on my phone, had to wait till I got home to use the computer.
Payment screen freezes on the app when my bank app pops up to approve.
my bank app approved it but your app just sat there loading
The pay button goes grey and nothing happens on my Samsung.
Apple Pay worked last month, now it fails at the last step.
Error code PAY-402 on my phone, no idea what that means.
Had to try payment four times on mobile before it went through.
The mobile site won't accept my card, says invalid expiry date when it's definitely right.
The app kicks me back to the basket after the card verification step.
It's impossible to pay in the app, the 3-D Secure box is half off the screen.
Payment failing on iPhone. Worked on the website straight away.
On the Android app the card form resets when the bank check opens.
Checkout on mobile: payment declined, retried, declined, gave up.
Google Pay says 'unable to complete' every time, other apps are fine.
Payment just hangs on 'processing' on my phone for ages.
The bank approval screen in the app is blank. I can't approve anything.
Please fix Apple Pay in the app. It's the only way I pay for things.
My card was declined in the app but worked when I tried the mobile website... sometimes.
Got to payment on my phone, it asked for a one-time passcode and then the page refreshed and lost everything.
Mobile checkout crashed at payment. Lost my basket too.
payment failed on app x3
I think the app payment is broken on older iPhones, mine's an 11.
Each time the verification opens it times out before I can approve in my banking app.
Couldn't pay with my debit card on the app, 'transaction declined'. Bank says no issue.
Google Pay gets stuck on the fingerprint bit then goes back to the basket.
Paying on the phone is a nightmare. Spinner, error, spinner, error.
Apple Pay opens then closes instantly. Tried restarting the phone, no difference.
The 'Pay now' button in the app doesn't respond after the latest update.""".splitlines()

CAUSE_CORES["promo_code_confusion"] = """My discount code said 'not valid' even though the email said it was valid till Sunday.
Promo code {code} just wouldn't apply.
The 20% off disappeared from the basket when I went to checkout.
The code worked, then vanished when I changed the delivery option.
It doesn't tell you which items are excluded from the code, you just find out it's not working.
Tried {code} from your newsletter: 'this code cannot be applied to your basket'. Why not?
The terms on the promo are really unclear. Minimum spend, excluded brands, new customers only...
Got told the code had expired, but the email only arrived that morning.
Entered the discount and the total didn't change.
The code box is hidden under a tiny link, and then it said invalid anyway.
Applied {code}, it showed the discount, then the receipt had the full price on it.
Only one code per order and no way to remove the one that auto-applied.
Why send me a code that doesn't work on anything I'd actually want to buy?
The welcome discount wasn't applied because I'd 'already registered'. I registered to get it!
promo code invalid. again.
Code says 10% off bedding, my duvet is bedding?? Not eligible apparently.
It took the discount off the delivery instead of the items, which isn't what the email said.
The code was case sensitive and nobody said so.
My Plus discount and the sale price didn't stack, which was confusing because the banner suggested they would.
The code field says 'applied' but the basket still shows the old price.
Lost the discount when I logged in halfway through. The basket reset.
Student discount code rejected, I was told it's 'not compatible with sale items'. Everything was on sale.
The minimum spend for the code wasn't mentioned until it rejected it.
I had a voucher from a complaint and it wouldn't go through at checkout.
{code} gave me £5 off instead of 15%, not sure why.
discount disappeared at the payment step
The code box doesn't appear on the basket page, only at the very last step.
Spent ages trying different codes from your emails, none of them worked.
Confusing: the offer said 3 for 2 on towels but the basket didn't take anything off.
My birthday code had expired by the time it arrived.
The promotion page and the checkout disagreed about the discount.
Tried to use my gift voucher and a promo code together, it removed the voucher.
I was promised free delivery with the code but delivery was still charged.
The error message just says 'invalid' with no reason.
Couldn't work out why the code failed. Gave up on the discount in the end.
The small print on the code excludes half the site, feels a bit misleading.
The discount showed in the basket but disappeared when I chose next day delivery.
Code {code} not recognised. I copied and pasted it, so it's not a typo.
I was told the code only works on full-price items, which is not what the email said.
I got 'code already used' on a code I've never used.
The discount only applied to one of the two items, no explanation.
Promo said 25% off everything, then the basket said 'exclusions apply'.""".splitlines()

CAUSE_CORES["late_delivery"] = """Order was meant to arrive in 3-5 working days, it took {days}.
Still waiting for my {item}, it's been nearly two weeks.
Paid for next day delivery and it came four days later.
The delivery date kept moving back: first Tuesday, then Friday, then just 'delayed'.
My {item} arrived a week late and I'd needed it for guests coming.
The estimated date came and went and nobody told me anything.
I took a day off work for the delivery and it didn't show up.
Order placed on the 2nd, arrived on the 17th. Not acceptable.
Delivery took so long I'd forgotten I'd ordered it.
Late again. Third order in a row that's been late.
Named-day delivery missed. Paid extra for nothing.
Was told 48 hours and it's been {days}.
Slow delivery to Scotland, always longer than it says.
My order sat in 'preparing for dispatch' for six days.
The delivery window was 7am-9pm and they still didn't come.
Everything else was fine but delivery was really slow.
Needed it for a birthday, it arrived two days after.
Delivery was promised for Saturday and it came the following Thursday.
Why does it take over a week to send a {item}?
Took ages. Other places would've had it to me in a day.
ordered for the weekend, came wednesday after. useless
The big items take forever, my {item} took three weeks.
Delivery was delayed without any explanation or apology.
Half my order came on time, the other half a week later.
Waited in all day, then got an email at 8pm saying it would be tomorrow.
It was supposed to be dispatched same day but wasn't sent for 4 days.
late delivery
Delivery took longer than the website said. Twice as long, actually.
I'm in Northern Ireland and delivery always takes far longer than quoted.
It said 'arriving today' three days in a row.
Order delayed due to 'high demand', nobody warned me when I ordered.
The courier missed the delivery slot and the rebooked date was a week away.
I cancelled the order in the end because it was so late.
Still no sign of my parcel after {days}. Not impressed.
Slowest delivery I've had from anyone this year.
Your delivery estimate is a work of fiction.
Had to chase my order twice before it finally turned up, ten days late.
Paid for express, got snail.
It arrived eventually, but long after the date I was given.
The mattress topper was meant for our holiday let changeover and missed it by days.
Took nearly three weeks to get some pillows. Pillows!
Delivery was late and then they came while I was on the school run.""".splitlines()

CAUSE_CORES["tracking_not_updating"] = """Tracking hasn't updated in five days.
The tracking link just says 'order received' and nothing else.
Tracking says delivered but nothing's here and it won't show where it was left.
The tracking number doesn't work on the courier's website.
The tracking page has said 'in transit' for a week.
No tracking updates at all, I have no idea where my parcel is.
Got a dispatch email with a tracking number that says 'not found'.
The app shows 'preparing your order' but the courier site says out for delivery. Which is it?
Tracking stuck on 'at depot' since Monday.
The tracking link in the email goes to a blank page.
The little map on the tracking page never moves.
Your tracking and the courier's tracking say completely different things.
tracking not updating
I've refreshed the tracking page every day, same status for a week.
No way to track a large item delivery, just 'we will contact you'.
Said out for delivery at 7am, then at 9pm changed back to 'in transit'.
I think the tracking number you sent is someone else's parcel, it shows a delivery in Leeds.
Would be good if the tracking actually tracked anything.
Tracking hasn't moved since 'label created'.
Why does the order page say 'shipped' with no tracking number?
Tracking info is useless, no times, no updates.
Couldn't tell if it was coming today or not, the tracking showed nothing new.
The tracking says my parcel is in Coventry, it has said that since Thursday.
I can't plan my day when the tracking doesn't update.
No updates after 'handed to courier'.
The app tracking screen shows a loading wheel and nothing else.
The delivery notification never came so I missed it.
Tracking just says 'exception' with no explanation.
Got three emails saying my parcel was on its way, the tracking disagrees.
tracking link broken
The estimated delivery time on the tracking changed 4 times in one day.
Wish the tracking showed a time slot like other retailers do.
Tracking went from 'in transit' to 'returned to sender' without ever saying out for delivery.
The tracking number has too many digits for the courier site to accept.
No proper tracking for a £300 order is crazy.
It's been 'awaiting collection from warehouse' for days.
The text said 'your driver is 3 stops away' and then nothing for six hours.
The tracking page says 'we're having trouble loading this'.
Couldn't find my order on the tracking page at all.
Tracking has been frozen on the same update since the weekend.
the tracking never updated, it just appeared on my doorstep days later
I rang the courier because your tracking was stuck and they said they had no record of it.""".splitlines()

CAUSE_CORES["slow_refund"] = """Returned my {item} three weeks ago and still no refund.
The refund is taking forever. You were quick enough to take the money.
Refund promised within 5 working days, it's been {days}.
Still waiting on my refund, the return was signed for on the 4th.
Why does a refund take a month?
Sent it back, got an email saying it had been received, but no money.
The refund status has said 'processing' for two weeks.
I've had to chase my refund three times now.
The refund came back as a gift card instead of to my card, which I didn't ask for.
Partial refund only, no explanation why.
The return was collected from my door 18 days ago, nothing since.
slow refund
My refund is overdue and nobody replies to emails about it.
Refunds are slow, delivery is slow, but you take payment instantly.
Return label was easy, refund not so much. Still waiting.
The refund took 6 weeks in total. Never again.
It says the refund was issued but my bank says nothing's come in.
I returned two items and only got refunded for one.
Refund for a faulty {item} still not received after a month.
The refund took so long I had to raise it with my bank.
Where is my refund? The order was cancelled before dispatch and still no money back.
Got an email saying the refund takes '10-14 days after inspection'. Inspection of a tea towel?
Refund delays are ridiculous.
I'm out of pocket £{amount} waiting on a refund.
The refund is still pending even though the courier confirmed you got the parcel.
Returned within the 30 days, and the refund has taken longer than the 30 days.
refund? hello?
I was told refunds take 3-5 days, it's day 19.
Can't even see the refund status anywhere in my account.
The refund was for the wrong amount, had to chase the difference.
Returned the {item} because it was faulty, now waiting weeks for my money.
Took a month to get my money back for a cancelled order.
I sent the return by tracked post, it's been delivered to you, still no refund.
The refund process needs sorting out. I've been waiting since early last month.
Cancelled within an hour of ordering and still waited two weeks for the refund.
It's been 25 days since I returned it. 25!
Refund slower than a week of Mondays.
Getting my money back took ages, I had to keep checking my bank.
They refunded the item but kept the delivery charge, and that took three weeks too.
Still waiting on a refund for the {item} that never arrived.
Whoever processes refunds must be on holiday.
No refund yet and the return postage cost me £3.50 as well.""".splitlines()

CAUSE_CORES["hard_to_reach_support"] = """Impossible to get hold of anyone, the phone line just rings out.
Waited 40 minutes on hold and then got cut off.
Emailed twice, no reply in a week.
The live chat is a bot that doesn't understand anything.
The chat closes at 6pm which is exactly when I actually have time.
I couldn't find a phone number anywhere on the website.
Support took five days to reply to an email and the reply didn't answer my question.
The chatbot kept sending me to the FAQ page in a loop.
Been on hold for over an hour today.
Nobody answers the phone on a Saturday.
The contact form says 'we'll reply within 24 hours'. It's been 4 days.
Tried to reach customer service about my order, gave up after 3 attempts.
The 'contact us' page is hidden, took me ages to find.
Chat says 'an agent will be with you shortly' and then nothing for 30 mins.
customer service impossible to reach
Every time I ring I get a different answer, when I get through at all.
I've sent three messages through the app and got an automated reply each time.
The phone line says 'high call volumes' every single day.
Can't speak to a human. Only the bot.
Replies come from a no-reply address so I can't even respond.
Had to message you on Facebook to get any response.
A call back was promised and never happened.
Your email support is painfully slow.
Couldn't get through on the phone, the chat was closed, and my email bounced.
The help centre just has FAQs, no way to actually contact someone.
On hold for ages only to be told to email instead.
Waited 3 days for a chat reply.
chat bot is useless
I wish I could just talk to someone when things go wrong.
The wait on the phone was 55 minutes, I timed it.
Emailed about a missing item, still no answer after a week and a half.
Support tickets get closed without anyone replying.
The chat disconnects if you switch apps on your phone and you lose your place in the queue.
Can never reach anyone before 9 or after 5, not helpful when you work.
Sent photos of the problem as asked, heard nothing back.
Hard to contact, slow to reply.
The automated phone menu sends you round in circles.
I've been passed between three departments by email.
Nobody reads the messages, you just get a template back.
Getting hold of your team is harder than getting a GP appointment.
Support is non-existent at weekends.
Had to use the complaints address just to get anyone to answer.""".splitlines()

CAUSE_CORES["unclear_sizing_dimensions"] = """The product page doesn't give the actual dimensions of the {item}.
Is a 'large' rug 160x230 or 200x290? The page doesn't say.
The fitted sheet didn't fit our deep mattress, the depth wasn't listed anywhere.
Couldn't tell how big the {item} was from the photos.
The dimensions were in the small print and they were wrong anyway.
Please show measurements in cm AND inches.
Ordered the curtains and they were much shorter than I expected, the drop wasn't clear.
Bought a bedside table that turned out to be tiny. The photos make it look bigger.
Is the duvet cover a UK double or an EU double? Not clear.
No info on how much the storage basket actually holds.
The size guide link goes to a page about towels when I'm looking at bedding.
Had to return the mirror because the dimensions listed were for the glass only, not the frame.
What does 'oversized' mean in cm?
Wish the pages showed the item next to something for scale.
The desk height isn't listed, only width and depth.
Pillow sizes are confusing: standard vs square vs oxford.
Couldn't find the weight of the {item} anywhere.
The wardrobe didn't fit under our sloped ceiling, the height wasn't on the page.
sizes not clear
The rug was described as 'medium' with no measurements.
I couldn't work out if the lampshade would fit my base.
The mattress topper depth was missing and it's way thinner than I thought.
Dimensions say W x D x H but don't say which way round the photo is.
Cushion covers are 45cm? 50cm? The listing said both.
No measurements for the pan base, I need to know if it fits my hob ring.
The dining chair seat height isn't given, I'm short and it matters.
The product description is all marketing fluff and no measurements.
Had to message to ask the size of the laundry basket, it should be on the page.
The bath towel is more of a hand towel. The size info was missing.
The shelf depth wasn't there and my books don't fit.
Photos made the size look very different to reality.
How big is a 'super king' in your range? It's not the same as other shops.
The rug listing only showed a room set, impossible to judge the size.
Ordered two sizes of the {item} because I couldn't tell from the page which would fit, and returned one.
The dimensions on the app are cut off on my screen.
Curtain widths: per panel or per pair? Not clear.
Would be great if the site told you what size bed the throw is meant for.
Not clear whether the measurements included the legs.
The 'fits most mattresses' claim isn't true for ours.
The specs tab was empty on the product I wanted.
the ottoman dimensions said 'approx' and it was 10cm out
Needed the internal size of the storage box, only the external size was shown.""".splitlines()

CAUSE_CORES["assembly_instructions"] = """The assembly instructions for the {item} were impossible to follow.
The instructions skip from step 3 to step 6 somehow.
Took three hours to build, the instructions had the parts labelled wrong.
The screws in the bag didn't match the instructions.
The instructions were in tiny print and half the steps were missing.
Built the wardrobe twice because the diagram showed the wrong panel.
No instructions in the box at all, had to find a PDF online.
The online instructions link printed on the box is dead.
Great bed once it was built, but the instructions were awful.
assembly was a nightmare
Parts are labelled A to M but the instructions only go A to K.
The drawer runners went on upside down because the picture was unclear.
Please do video assembly guides, the paper ones are useless.
The instructions assume you have a drill, the page said no tools needed.
The desk took far longer to put together than it should have.
The instructions don't say which holes to use for the shelves.
There's a step missing between 7 and 8, I'm sure of it.
The assembly instructions were a photocopy of a photocopy.
Nowhere does it say how long assembly takes, I'd have planned better.
The bed frame instructions have the slats the wrong way round.
The little diagrams are so small I needed a magnifying glass.
Had to watch a random YouTube video to work out how to build the {item}.
Instructions in six languages but none of them made sense.
The hinges weren't explained at all, the doors hang wonky.
Assembly was harder than it needed to be because the instructions skip steps.
Struggled with the instructions, ended up paying a handyman.
bad instructions, good product
The numbering of the screws doesn't match the bag numbers.
Which way up does the base go? The instructions don't say.
Instructions should be written for normal people, not engineers.
Had to take it apart and start again at step 9.
The picture shows 4 dowels, there are 6 holes.
The assembly guide was missing pages 3 and 4.
Putting the {item} together took ages because of the confusing steps.
The instructions were for a different model, the parts didn't match.
I'm pretty handy and these instructions beat me.
Could do with a parts checklist at the start of the instructions.
The assembly video QR code on the leaflet doesn't work.
Too many tiny pieces and unclear instructions.
Instructions were fine until the doors, then they just gave up explaining.
the instruction leaflet was soaked through in the box and unreadable
Spent my Sunday deciphering hieroglyphics, aka your assembly instructions.""".splitlines()

CAUSE_CORES["points_not_credited"] = """My points from last month's order never showed up.
Rewards points missing from my account after two orders.
The app says I have 0 points, I've spent over £200 this year.
Points weren't added for my order, I was told to wait 30 days, still nothing.
Loyalty points disappeared after I returned one item from a big order.
Where are my points?
The points balance on the app and the website are different.
I bought with a promo code and got no points at all. Is that a rule?
Points not credited for orders placed in the app.
Still missing 450 points from my June order.
The points I was promised for writing a review never appeared.
Points expired before they even showed up in my account.
Tried to redeem my points at checkout and it said I had none.
Double points week and I got single points. If that.
points not added
My points reset to zero after I changed my email address.
The rewards page has said 'pending' for six weeks.
Points don't appear for Plus members? Seems backwards.
Ordered as a guest by mistake and you won't add the points to my account.
Points for my last three orders are missing.
The points scheme is confusing and half the time it doesn't work.
I've emailed twice about missing points and got a generic reply.
The app crashed when I tried to view my points, and when it came back they'd gone down.
Referral points never came through even though my friend ordered.
I had 1,200 points and now I have 300 with no explanation.
Points only show up weeks later, if at all.
You advertise points on every purchase, I've never seen any.
Can't see a points history anywhere so no idea what's missing.
Missing points again. Starting to think it's deliberate.
The points for the {item} never arrived.
Points took 8 weeks to appear, by which time the reward I wanted had gone.
rewards not credited
Got an email saying 'you've earned 250 points!' but my balance didn't change.
Points missing since the app update.
Redeemed points on an order I then cancelled and they never came back.
Is the points scheme still running? Nothing has been credited since spring.
The loyalty scheme doesn't work properly.
I keep screenshots of my orders because the points are never right.
The Plus bonus points weren't added this month.
Points should go on as soon as the order is delivered, not months later.
my points still say 0
Can you check my points balance, it's definitely wrong.""".splitlines()

CAUSE_CORES["irrelevant_ads"] = """Keep seeing ads for things I've already bought.
Your Instagram ads are all baby stuff and I don't have kids.
Too many emails, three a day is too much.
I bought a sofa throw once and now every ad I see is sofa throws.
The ads on YouTube are so repetitive.
Adverts show products that are out of stock when you click through.
Getting ads for student bedding, I'm 67.
Stop following me round the internet with that lamp.
Ads for Christmas stuff in July, bit early.
The Facebook ads have prices that don't match the website.
I unsubscribed and still get marketing emails.
Ads in my feed about shop openings, you don't even have shops?
ads everywhere
Targeted ads are creepy, I only looked at the mattress once.
Why am I getting ads in Welsh? I'm in Kent.
The push notifications from the app are constant and not relevant.
The app pushes the Plus membership at me every five minutes.
Saw an advert for 50% off, clicked, nothing was 50% off.
Your TikTok ads are annoying, same one every day.
Emails about kids' bedding when I've only ever bought kitchen stuff.
I get ads for the same duvet I returned because I didn't like it.
Notifications at 11pm about cushion sales, no thanks.
Your adverts look like every other homeware brand, I didn't realise it was you.
Sponsored posts everywhere on my feed.
Ads for garden furniture when I live in a flat with no balcony.
Marketing texts even though I never gave my number for that.
The banner ads cover half the news site I read.
ads are a bit much tbh
The recommended products in your emails have nothing to do with me.
Getting pet bed ads and we don't have pets.
The ad I clicked went to a 404 page.
Adverts before every YouTube video, always the same towel.
Please stop emailing me about the sale that ended yesterday.
Daily emails, I'll unsubscribe if it carries on.
Ads shown to me for things in sizes you don't stock.
The influencer ads feel fake.
Too many app notifications, I've turned them off.
I saw your advert at a bus stop and the QR code didn't work.
Every other video on my phone is a Larkspur advert now.
The emails are so frequent I've stopped opening them.""".splitlines()

SHORT_CAUSE: dict[str, list[str]] = {
    "shipping_cost_late": ["hidden delivery costs", "postage at the end!!", "delivery cost surprise", "show delivery price earlier", "shipping fees", "Delivery charge.", "p&p shock", "surprise postage"],
    "forced_account": ["guest checkout please", "forced sign up", "password reset loop", "account required ugh", "let me buy as guest", "no guest checkout"],
    "mobile_payment_failure": ["payment broken on app", "apple pay fails", "google pay not working", "card declined on phone", "cant pay on mobile", "App payment broken."],
    "promo_code_confusion": ["code didnt work", "promo code invalid", "discount vanished", "voucher not accepted"],
    "late_delivery": ["too slow", "late delivery again", "delivery took ages", "slow postage", "Slow."],
    "tracking_not_updating": ["tracking useless", "no tracking updates", "tracking stuck"],
    "slow_refund": ["refund still pending", "slow refunds", "where's my refund"],
    "hard_to_reach_support": ["can't reach anyone", "no reply", "useless chatbot"],
    "unclear_sizing_dimensions": ["add dimensions", "sizes unclear", "more measurements pls"],
    "assembly_instructions": ["better instructions", "assembly hell"],
    "points_not_credited": ["missing points", "points?"],
    "irrelevant_ads": ["too many emails", "ads..."],
}

# Agent-style notes for phone tickets, per cause.
PHONE_NOTES: dict[str, list[str]] = {
    "shipping_cost_late": [
        "cust rang re delivery charge of {fee} only shown at end of checkout, unhappy, wanted it waived. explained charges, offered {code} as goodwill",
        "caller abandoned order due to delivery cost appearing at payment step, wanted to know why not shown on product page. fed back to web team",
        "Customer queried delivery charge on {order}, thought it was free over £40. explained threshold is £50 for non-Plus. not happy",
        "cust called: 'why is postage hidden until the end'. logged as feedback, no order action",
        "cx unhappy with large item delivery fee {fee} seen at checkout, left basket. advised re Plus",
        "rang about delivery cost only shown at last step on app, asked for it on basket page. passed on",
        "customer complained total at payment higher than basket due to delivery, felt misled. apologised",
        "Call re surcharge for Isle of Wight postcode (PO30) only visible at payment. explained, cust declined to order",
        "Cust asked us to price delivery for her basket before she 'gets all the way through again'. quoted {fee}",
    ],
    "forced_account": [
        "cust couldnt checkout as guest, wanted to place order over phone instead. placed order manually {order}",
        "caller stuck in password reset loop, link expired x3. reset manually, advised clear cookies",
        "customer locked out of account at checkout, unlocked, order placed",
        "cust rang to complain about having to create account to buy a gift. logged feedback",
        "customer said verification email not arriving, checked spam w/ cust, resent",
        "Caller (elderly) struggled with account creation, placed order for her over phone {order}",
        "cust annoyed app requires sign in before checkout, wants guest option. logged",
        "rang re 'email already in use' at checkout, merged duplicate accounts",
    ],
    "mobile_payment_failure": [
        "cust rang re payment failing in iOS app, Apple Pay spins then errors. advised use website. raised bug w/ app team",
        "android app google pay failing, cust tried 3x, no auth on our side. escalated",
        "caller says 3DS screen freezes on phone, had to abandon. took payment over phone for {order}",
        "cust card declined on app, worked on desktop. advised known issue",
        "customer reports app crashes at pay button since update, iphone 12. logged",
        "cx rang, payment stuck on 'confirming with bank' on mobile site, no order created. advised retry on desktop",
        "Apple Pay error in app for 2nd time this week, cust frustrated. logged under INC-2231",
        "phone payment failed, bank approval notification never appeared. talked cust through desktop checkout",
    ],
    "promo_code_confusion": [
        "cust code {code} rejected, checked: excludes sale items. cust unhappy terms not clear. applied manually as goodwill",
        "customer's welcome code not applied as already registered. gave 10% goodwill",
        "caller's discount disappeared at checkout after changing delivery option. re-applied",
        "code expired per system but email sent same day. honoured it",
        "cust confused by min spend on promo. explained",
        "rang re promo showing in basket but not on receipt, refunded difference £4.80",
        "customer tried 3 codes from emails, none worked, advised only one per order",
        "cust said code rejected as 'already used', first time using it. reissued",
    ],
    "late_delivery": [
        "cust rang re missing parcel, advised 48h then will raise with courier",
        "order {order} 6 days past est delivery, chased Jetdrop, new ETA Fri",
        "caller paid for next day, not arrived, refunded delivery charge {fee}",
        "cust needs item for weekend, delayed at hub. no guarantee, offered cancel",
        "large item delivery rebooked twice by courier, cust very upset. escalated to logistics",
        "customer in Scotland says 5 days late again, apologised, logged",
        "delivery missed named day. refunded premium delivery fee",
        "cust waiting since {date}, order stuck in dispatch. warehouse backlog, advised 2-3 days",
    ],
    "tracking_not_updating": [
        "cust tracking not updated since Mon, checked courier portal: at depot. advised 48h",
        "tracking no. not recognised on Jetdrop site, reissued tracking link",
        "tracking link in email broken for cust, sent direct link",
        "customer queried 'exception' on tracking, courier says address query. updated address",
        "cust frustrated no tracking for 2-man delivery, explained courier calls day before",
        "tracking stuck 'label created' 5 days, parcel not scanned. raised lost parcel claim",
        "app tracking page not loading for cust, gave status verbally",
        "cust says tracking shows delivered, nothing received, no photo. started investigation w/ courier",
    ],
    "slow_refund": [
        "cust chasing refund for return rec'd 12 days ago, chased returns team",
        "refund not received 3 wks after return, checked: stuck in inspection. pushed through",
        "caller upset refund went to gift card. reversed, refund to card 3-5 days",
        "cust chasing partial refund, missing £{amount}. raised",
        "refund issued 10 days ago per system, cust's bank no record. gave ARN ref",
        "return received at warehouse, not processed for 2 wks. escalated",
        "cust 3rd call re refund, very annoyed. escalated to TL",
        "cancelled order refund not processed, manual refund done",
    ],
    "hard_to_reach_support": [
        "cust said waited 50 mins on hold earlier and got cut off, now resolved issue re order",
        "customer complained no reply to 2 emails sent last week, apologised",
        "cust said chat bot couldnt help and no agent available, rang instead",
        "caller frustrated couldnt find phone no. on website",
        "complaint about call queue times, logged",
        "cust said promised callback didnt happen, apologised, resolved",
        "customer tried chat 3 times, disconnected each time, rang",
        "cust unhappy email reply didnt answer question, answered now",
    ],
    "unclear_sizing_dimensions": [
        "cust asked dimensions of {item}, not on page, gave from spec sheet",
        "cust returning fitted sheet, too shallow for mattress, depth not on listing",
        "query re rug size 'large', what dimensions. 160x230. cust says should be on page",
        "customer asked if duvet cover UK or EU size, confirmed UK",
        "cust asked height of wardrobe to fit under eaves, not on site, checked w/ supplier",
        "cust rang re curtain drop, listing unclear per panel or pair",
        "customer asked internal dims of storage box, passed to product team",
        "cust unhappy mirror smaller than expected, listing dims for glass only",
    ],
    "assembly_instructions": [
        "cust struggling w/ bed frame assembly, step 6 unclear, emailed PDF",
        "customer says wrong instructions in box for wardrobe, sent correct ones",
        "cust missing screws per instructions, sending parts pack",
        "caller couldn't follow desk assembly, talked through it",
        "cust said instructions label parts wrong, logged quality issue",
        "customer asked for video guide for drawers, none available",
        "cust complained instructions QR link dead, sent PDF link",
        "cust assembly took 3hrs, doors misaligned, advised hinge adjustment",
    ],
    "points_not_credited": [
        "cust points missing from {order}, added manually 320 pts",
        "customer says points not credited for app orders, raised w/ CRM",
        "points balance differs web vs app, cust sent screenshot. escalated",
        "cust asked why no points on promo order, explained T&Cs",
        "cust referral points not received, checked, friend used different email",
        "points reset after email change, restored",
        "cust chasing double points, only single credited. raised",
        "customer can't redeem points at checkout, says 0 balance. bug logged",
    ],
    "irrelevant_ads": [
        "cust asked to stop ad targeting, explained cookie settings",
        "customer complained about daily marketing emails after unsubscribing. removed from list",
    ],
}

CAUSE_SUBJECTS: dict[str, list[str]] = {
    "shipping_cost_late": ["Delivery charge", "Why wasn't delivery cost shown?", "Hidden postage", "Delivery fee at checkout", "Shipping costs", "Delivery charge not shown earlier", "Query about delivery cost", "Postage??", "Order total higher than expected"],
    "forced_account": ["Can't check out as guest", "Password reset not working", "Account locked", "Forced to create account", "Login problem at checkout", "Verification email not received", "Account issue", "Email already in use"],
    "mobile_payment_failure": ["Payment failed", "Apple Pay not working", "Card declined in app", "Google Pay error", "Can't pay on my phone", "Payment issue", "App crashes at payment", "3D Secure problem"],
    "promo_code_confusion": ["Discount code not working", "Promo code", "Voucher rejected", "Code invalid", "Discount missing", "Offer not applied", "Welcome discount"],
    "late_delivery": ["Where is my order?", "Late delivery", "Order not arrived", "Delivery delayed", "Still waiting", "Missed delivery date", "Order {order}", "Next day delivery not next day"],
    "tracking_not_updating": ["Tracking not updating", "Tracking issue", "Where is my parcel", "Tracking number not working", "No tracking info", "Tracking stuck"],
    "slow_refund": ["Refund", "Where is my refund?", "Refund not received", "Return - refund status", "Chasing refund", "Refund delay", "Still no refund"],
    "hard_to_reach_support": ["Complaint", "No reply to my emails", "Trying to contact you", "Unable to reach customer service", "Third attempt", "Nobody answering"],
    "unclear_sizing_dimensions": ["Product dimensions", "Size question", "What size is this?", "Measurements", "Question about {item}", "Dimensions missing"],
    "assembly_instructions": ["Assembly instructions", "Instructions unclear", "Missing instructions", "Help with assembly", "Building the {item}"],
    "points_not_credited": ["Missing points", "Rewards points", "Points not added", "Loyalty points query", "Points balance wrong"],
    "irrelevant_ads": ["Marketing emails", "Adverts", "Unsubscribe"],
}
STAGE_SUBJECTS: dict[str, list[str]] = {
    "purchase": ["Change my order", "Cancel order", "Order query", "Amend order", "VAT invoice", "Checkout"],
    "delivery": ["Delivery", "Delivery instructions", "Courier", "Delivery query", "My delivery"],
    "support": ["Return", "Returns question", "Faulty item", "Exchange", "Return {order}"],
    "consideration": ["Product question", "Stock query", "Question", "Pre-order question"],
    "use": ["Product quality", "Care instructions", "Faulty {item}", "Thank you!", "Feedback"],
    "loyalty": ["Feedback", "Thank you", "Points question", "Compliment"],
    "awareness": ["Marketing"],
    "none": ["Enquiry", "Hello", "Question", "(no subject)", "Query"],
}

CAUSE_TITLES: dict[str, list[str]] = {
    "shipping_cost_late": ["Hidden delivery charges", "Delivery cost at the end", "Postage surprise", "Show delivery costs earlier", "Nice stuff, sneaky postage", "Checkout total jumps", "Delivery fees"],
    "forced_account": ["Let me check out as guest", "Forced account", "Password reset hell", "Why do I need an account", "Login loop", "Sign up wall"],
    "mobile_payment_failure": ["Can't pay", "Payment broken", "Apple Pay fails", "Google Pay doesn't work", "Crashes at checkout", "Fix payments please", "Payment keeps failing"],
    "promo_code_confusion": ["Codes don't work", "Promo code issues", "Discount disappeared", "Confusing offers"],
    "late_delivery": ["Slow delivery", "Late again", "Delivery takes forever"],
    "tracking_not_updating": ["Tracking is useless", "Tracking doesn't update", "Where's my parcel"],
    "slow_refund": ["Slow refunds", "Still waiting for refund"],
    "hard_to_reach_support": ["No customer service", "Can't contact anyone", "Chatbot useless"],
    "unclear_sizing_dimensions": ["Need dimensions", "Sizes unclear"],
    "assembly_instructions": ["Instructions", "Assembly"],
    "points_not_credited": ["Points missing", "Rewards don't work", "Where are my points"],
    "irrelevant_ads": ["Too many notifications", "Ads", "Spammy"],
}
SENTIMENT_TITLES = {
    "positive": ["Great app", "Love it", "Brilliant", "Easy to use", "Really good", "Lovely", "5 stars", "Happy customer", "Good app", "Nice"],
    "neutral": ["OK", "Fine", "Does the job", "Mixed", "Average", "Alright", "Could be better", "Hmm"],
    "negative": ["Disappointed", "Not great", "Frustrating", "Poor", "Needs work", "Annoying", "Meh", "Rubbish"],
}

# ---------------------------------------------------------------------------------------------
# Other feedback per stage (no planted cause): (sentiment, text).
# ---------------------------------------------------------------------------------------------
STAGE_OTHER: dict[str, list[tuple[str, str]]] = {
    "purchase": [
        ("positive", "Checkout was quick and easy this time."),
        ("positive", "Apple Pay went through instantly on my laptop, no complaints."),
        ("positive", "Really smooth ordering, took two minutes."),
        ("positive", "Easy to order, saved card details made it quick."),
        ("positive", "The new checkout is much better than the old one."),
        ("positive", "Ordering on the website was simple."),
        ("positive", "No issues placing my order."),
        ("positive", "My basket saved between my phone and laptop which was handy."),
        ("positive", "Straightforward checkout with a clear summary at the end."),
        ("positive", "Paid with my card, went straight through, confirmation email arrived instantly."),
        ("neutral", "Can I add an item to an order I've already placed?"),
        ("neutral", "I'd like to change the delivery address on my order before it's dispatched."),
        ("neutral", "Please cancel my order, I ordered the wrong colour."),
        ("neutral", "Is it possible to split my order into two deliveries?"),
        ("neutral", "Can I get a VAT invoice for my order?"),
        ("neutral", "Ordered the wrong size, can I swap before it ships?"),
        ("neutral", "I accidentally ordered two, please cancel one."),
        ("neutral", "Checkout was fine, nothing special."),
        ("neutral", "Paid by card, no problems, no fuss."),
        ("neutral", "Could you confirm my order went through? I didn't get an email."),
        ("negative", "Checkout has too many steps in general."),
        ("negative", "The basket kept emptying itself."),
        ("negative", "The out of stock message only appeared at checkout."),
        ("negative", "The address finder didn't recognise my new build postcode."),
        ("negative", "The website was really slow at checkout during the sale."),
        ("negative", "The item went out of stock while it was sitting in my basket."),
    ],
    "delivery": [
        ("positive", "Delivery was really quick, next day!"),
        ("positive", "The driver was lovely and put it in the porch as asked."),
        ("positive", "Arrived earlier than expected and well packed."),
        ("positive", "Great delivery, got a text with a time slot and they came in it."),
        ("positive", "Delivery was fine, no complaints."),
        ("positive", "Came on time and the driver carried it upstairs for me."),
        ("positive", "Fast delivery, even out here in rural Wales."),
        ("positive", "Parcel arrived the day after I ordered. Impressed."),
        ("positive", "Really liked getting a photo when it was delivered."),
        ("neutral", "Can I change my delivery day?"),
        ("neutral", "Please leave parcels with number 12 if I'm out."),
        ("neutral", "Is Saturday delivery available?"),
        ("neutral", "Will the courier ring ahead for the big items?"),
        ("neutral", "Can you deliver to my work address instead?"),
        ("neutral", "What time do your drivers usually come round?"),
        ("negative", "The courier was rude."),
        ("negative", "The driver didn't even knock, just left a card."),
        ("negative", "Parcel left on the doorstep in full view of the street."),
        ("negative", "They wouldn't carry the boxes past the front door."),
        ("negative", "A delivery slot of 7am-7pm is useless when you work."),
        ("negative", "Got a missed delivery card but I was in all day."),
        ("negative", "Only part of my order arrived, the rest is missing."),
    ],
    "support": [
        ("positive", "Returns were easy, dropped it at the Post Office."),
        ("positive", "Customer service sorted my issue quickly, thanks."),
        ("positive", "Lovely lady on the phone, very helpful."),
        ("positive", "Return label printed no problem, easy process."),
        ("positive", "The replacement for my faulty kettle came in two days."),
        ("positive", "The agent on chat was really patient with me."),
        ("neutral", "How do I return an item bought in the sale?"),
        ("neutral", "Can I return something without the original packaging?"),
        ("neutral", "Do I need to print the returns label?"),
        ("neutral", "What's your returns window for Plus members?"),
        ("neutral", "I'd like to return part of my order."),
        ("neutral", "Where do I send a faulty item?"),
        ("neutral", "Is return postage free?"),
        ("neutral", "Can I exchange the cushions for a different colour?"),
        ("negative", "The returns portal wouldn't accept my order number."),
        ("negative", "Charged £3.50 for a return on a faulty item, that shouldn't be my cost."),
        ("negative", "The returns process is fiddly, you need to print a label and I don't have a printer."),
        ("negative", "The agent was polite but couldn't actually do anything."),
        ("negative", "Asked for an exchange, was told only refunds are possible."),
    ],
    "consideration": [
        ("positive", "Lovely photos, really helps to picture things."),
        ("positive", "The reviews on the product pages are helpful."),
        ("positive", "Great range of bedding, more choice than most shops."),
        ("positive", "Easy to browse the app, the filters are good."),
        ("positive", "Prices are fair for the quality."),
        ("positive", "The wishlist feature is handy."),
        ("positive", "Nice clean app, easy to find things."),
        ("neutral", "Is this duvet suitable for people with allergies?"),
        ("neutral", "Do you sell the matching pillowcases separately?"),
        ("neutral", "Will the green mugs be back in stock?"),
        ("neutral", "Is the oak table solid wood or veneer?"),
        ("neutral", "Is the frying pan dishwasher safe?"),
        ("neutral", "When will the linen range be restocked?"),
        ("neutral", "Do you have the rug in a runner size?"),
        ("negative", "Search is rubbish, typing 'duvet' shows me curtains."),
        ("negative", "Prices are higher than elsewhere for the same thing."),
        ("negative", "The filters reset every time I go back."),
        ("negative", "Not enough reviews on most products to decide."),
        ("negative", "Product pages load slowly on my phone."),
        ("negative", "Found it cheaper at another shop."),
    ],
    "use": [
        ("positive", "The towels are gorgeous, so soft even after washing."),
        ("positive", "Love the duvet, best sleep in ages."),
        ("positive", "Quality of the bedding is excellent."),
        ("positive", "The frying pan is brilliant, I use it every day."),
        ("positive", "Really pleased with the lamp, looks expensive."),
        ("positive", "The mugs are lovely, bought more as gifts."),
        ("positive", "Sheets wash well and don't bobble."),
        ("positive", "The kitchen knives are really sharp and well balanced."),
        ("positive", "The rug looks amazing in our living room."),
        ("positive", "Very happy with the quality for the price."),
        ("positive", "The curtains hang beautifully."),
        ("positive", "Pillows are perfect, not too firm."),
        ("positive", "The storage baskets are sturdy and look nice."),
        ("positive", "Chopping board is solid and lovely."),
        ("positive", "Everything I've bought has been good quality."),
        ("positive", "The linen duvet cover gets softer every wash."),
        ("positive", "Bath mat dries quickly and still looks new."),
        ("negative", "Towels shed fluff everywhere for weeks."),
        ("negative", "The duvet cover shrank in the first wash."),
        ("negative", "The kettle lid broke after a month."),
        ("negative", "The non-stick coating on the saucepan wore off quickly."),
        ("negative", "The colour faded after a few washes."),
        ("negative", "Pillow went flat within weeks."),
        ("neutral", "How should I wash the linen duvet cover?"),
        ("neutral", "Can the saucepans go in the oven?"),
        ("neutral", "Is the wood finish on the chopping board treated?"),
    ],
    "loyalty": [
        ("positive", "Will definitely be ordering again."),
        ("positive", "Recommended you to my sister, she loves it too."),
        ("positive", "I buy all my bedding here now."),
        ("positive", "Been a customer for years, never let me down."),
        ("positive", "Told all my friends about you."),
        ("positive", "Fourth order this year, always happy."),
        ("positive", "Loyal customer, keep it up."),
        ("positive", "You're my go-to for presents."),
        ("positive", "Would recommend to anyone furnishing a new place."),
        ("neutral", "Do points expire?"),
        ("neutral", "How many points do I need for a voucher?"),
        ("neutral", "Is there a referral scheme?"),
        ("negative", "Used to love you but quality has dropped."),
        ("negative", "Won't be ordering again after this."),
        ("negative", "I've gone back to shopping elsewhere."),
    ],
    "awareness": [
        ("positive", "Found you through a friend's recommendation."),
        ("positive", "Saw you on Instagram and loved the style."),
        ("positive", "Heard about you from a colleague."),
        ("positive", "Found you on Google looking for linen bedding."),
        ("neutral", "Saw an ad on the Tube, that's how I found you."),
        ("neutral", "First heard of Larkspur from a magazine."),
        ("neutral", "My mum told me about you."),
    ],
}

# Sentiment mix of the no-cause records of each stage.
OTHER_SENTIMENT: dict[str, list[tuple[str, int]]] = {
    "purchase": [("positive", 45), ("neutral", 35), ("negative", 20)],
    "delivery": [("positive", 35), ("neutral", 20), ("negative", 45)],
    "support": [("positive", 30), ("neutral", 45), ("negative", 25)],
    "consideration": [("positive", 35), ("neutral", 35), ("negative", 30)],
    "use": [("positive", 80), ("neutral", 8), ("negative", 12)],
    "loyalty": [("positive", 75), ("neutral", 15), ("negative", 10)],
    "awareness": [("positive", 60), ("neutral", 40)],
}

NONE_SURVEY: list[tuple[str, str]] = [
    ("neutral", "n/a"), ("neutral", "No"), ("neutral", "nothing"), ("neutral", "Nothing to add"),
    ("neutral", "no thanks"), ("neutral", "Not really"), ("neutral", "-"), ("neutral", "na"),
    ("neutral", "."), ("positive", "Keep up the good work"), ("positive", "All good"),
    ("neutral", "Thanks"), ("neutral", "no comment"), ("neutral", "Can't think of anything"),
    ("negative", "Why is this survey so long"), ("neutral", "I'm entering for the prize draw, hope I win"),
    ("neutral", "my cat walked on the keyboard sorry"), ("neutral", "Weather's been awful hasn't it"),
    ("neutral", "Hi"), ("neutral", "See above"), ("positive", "Everything's fine"), ("positive", "Good"),
    ("neutral", "nope"), ("positive", "👍"), ("neutral", "Is this survey anonymous?"),
    ("positive", "Love the colour of your logo"), ("neutral", "none"), ("neutral", "N/A - first order"),
    ("neutral", "I'm not sure what you mean"), ("neutral", "what prize do I get for this?"),
    ("positive", "Happy customer"), ("neutral", "Fine thanks"), ("neutral", "ok"),
    ("neutral", "Nothing else, cheers"), ("neutral", "No further comments"), ("positive", "you're doing fine"),
    ("neutral", "Filled this in on the train, signal keeps dropping"),
]
NONE_REVIEWS: list[tuple[str, str]] = [
    ("neutral", "ok"), ("positive", "love it!!"), ("positive", "👍👍"), ("positive", "⭐️⭐️⭐️⭐️⭐️"),
    ("positive", "Good"), ("neutral", "meh"), ("positive", "Great app"), ("positive", "Nice"),
    ("positive", "Works fine"), ("positive", "❤️"), ("neutral", "Decent"), ("neutral", "Not bad"),
    ("positive", "Brilliant"), ("positive", "good app"), ("negative", "App crashes when I rotate my phone"),
    ("neutral", "Dark mode please!"), ("negative", "Too many pop ups"), ("neutral", "Why does it need my location?"),
    ("positive", "5 stars"), ("neutral", "The app is fine I guess"), ("positive", "Useful app"),
    ("positive", "Does what it says"), ("positive", "Easy"), ("positive", "Love it"), ("positive", "Fab"),
    ("negative", "Rubbish"), ("neutral", "Ok app"), ("negative", "So slow to load"),
    ("neutral", "A widget would be nice"), ("positive", "Nice design"), ("positive", "10/10"),
    ("positive", "🙂"), ("positive", "Excellent"), ("positive", "great"), ("neutral", "Hmm"),
    ("neutral", "could be better"), ("negative", "Updates too often"), ("negative", "keeps logging me out of the app for no reason"),
    ("positive", "Much better since the redesign"), ("neutral", "Why is the app 300MB??"),
    ("negative", "Drains my battery"), ("positive", "Simple and clean"), ("neutral", "fine"),
    ("negative", "Crashes on my iPad mini"),
]
NONE_TICKETS: list[tuple[str, str]] = [
    ("neutral", "test"),
    ("neutral", "Please unsubscribe me from everything and delete my data under GDPR. Thank you."),
    ("neutral", "Wrong company sorry, I meant to email my bank!"),
    ("neutral", "Hello, we're an influencer agency working with home and lifestyle creators and would love to discuss a partnership. Who is the best person to speak to?"),
    ("neutral", "Hi, I make hand-poured soy candles in Shropshire and wondered how I could get them stocked on your site?"),
    ("neutral", "Could you confirm your company registration number and VAT number for our supplier records please?"),
    ("neutral", "Do you have a modern slavery statement? I'm doing a university project on retail supply chains."),
    ("negative", "URGENT: your invoice #4471 is overdue, click here to pay"),
    ("neutral", "Is this the right address for press enquiries?"),
    ("neutral", "Hi, I found a wallet in a Larkspur bag on the bus, is there any way to get it back to the owner?"),
    ("neutral", "Do you sell gift cards in any shops?"),
    ("neutral", "Can I come and collect from your warehouse? I'm local."),
    ("neutral", "Hello?"),
    ("neutral", "Sorry, sent by mistake."),
]

# ---------------------------------------------------------------------------------------------
# Composition pools
# ---------------------------------------------------------------------------------------------
OPENERS = """Overall a good experience.
First time ordering from you.
I've ordered a few times now.
Products are lovely.
Mostly happy.
Where do I start.
Bit of a mixed experience.
Honestly?
Not my first complaint.
Quick feedback.
One thing.
I'll keep this short.
Ordered a few bits last month.
Bought some things for my daughter's flat.
Long time customer here.
Just one gripe.
Nothing major really.
So.""".splitlines()
BUT_OPENERS = """Love the products but
Really nice stuff but
The towels are lovely but
Great quality bedding but
Good prices but
Everything arrived fine in the end but
I'm a big fan of the brand but
Would give 5 stars but
The app looks nice but
Happy with the {item} but
love the towels but
Lovely quality as always but
No complaints about the product itself but""".splitlines()
ASIDES = """Also the website is really slow on my old iPad.
PS love the new logo.
(typing this on the bus, sorry for typos)
My daughter says hi.
Weather's been awful lol.
Not that it matters but your survey is quite long.
Anyway, rant over.
PS the dog loves the new rug.
I'm writing this on my lunch break.
Otherwise all good.
Still like you though.
That's all really.
Hope that helps.""".splitlines()
CONSEQUENCES: dict[str, list[str]] = {
    "purchase": ["Nearly gave up on the order.", "I did buy it in the end but not happily.", "Ended up leaving it in the basket.", "Went elsewhere in the end.", "I came back the next day and finished it.", "Sort it out please.", "Not the first time either.", "It put me off ordering again.", "Really frustrating when you just want to pay and go.", "Took me three attempts to finish the order.", "Lost sale, I'm afraid."],
    "delivery": ["Had to rearrange my whole day.", "Really disappointing.", "Not the first time.", "I won't pay for the faster option again.", "Please sort it out.", "Can someone look into it?", "Not good enough really."],
    "support": ["Please can someone help.", "I'm starting to lose patience.", "This is my third message about this.", "Would appreciate an update.", "Not good enough."],
    "consideration": ["Had to guess in the end.", "Ended up returning it.", "Would have bought more if it was clearer.", "Please add this info."],
    "use": ["Not what I expected from you.", "Still happy overall.", "Took way longer than it should.", "Otherwise happy with it."],
    "loyalty": ["Makes me wonder if it's worth it.", "Please check.", "Feels like the scheme isn't worth bothering with."],
    "awareness": ["Bit much.", "Please tone it down.", "Turned the notifications off now."],
}
CONTEXTS = """I placed an order on {date} (order {order}).
Order number {order}.
Re: order {order}.
I placed an order last week for £{price}.
I'm writing about my recent order, ref {order}.
My order is {order}.
Delivery postcode is {postcode} if that helps.
I paid £{price} on {date}.
It's order {order}, placed {date}.""".splitlines()
DELIVERY_CONTEXTS = """Tracking number {tracking}.
The tracking code I was given is {tracking}.
Order {order}, tracking {tracking}.""".splitlines()
GREETINGS = ["Hi,", "Hello,", "Hi there,", "Dear Larkspur,", "Hello Larkspur team,", "Dear Sir/Madam,", "Hiya", "Good morning,", "To whom it may concern,"]
SIGNOFFS = ["Thanks,\n{first}", "Regards,\n{first} {last}", "Many thanks\n{first}", "Kind regards,\n{first} {last}", "Cheers\n{first}", "{first}", "Thanks in advance", "Sent from my iPhone", "Thanks,\n{first}\n\nSent from my iPhone", "{first} {last}"]
POSITIVE_REPLIES = ["That's lovely to hear, thank you!", "Thank you, I'll pass that on to the team!", "So glad you're happy with it!"]
PHONE_SUBJECTS = {
    "shipping_cost_late": "Call - delivery charge query",
    "forced_account": "Call - account / login",
    "mobile_payment_failure": "Call - payment failure",
    "promo_code_confusion": "Call - promo code",
    "late_delivery": "Call - where is my order",
    "tracking_not_updating": "Call - tracking",
    "slow_refund": "Call - refund chase",
    "hard_to_reach_support": "Call - complaint",
    "unclear_sizing_dimensions": "Call - product dimensions",
    "assembly_instructions": "Call - assembly help",
    "points_not_credited": "Call - rewards points",
    "irrelevant_ads": "Call - marketing preferences",
}
CHAT_HELLOS = ["hi", "Hello", "hiya", "Hi, hoping you can help", "hi there", "Hello?", "morning"]
CHAT_FOLLOWUPS = ["ok thanks", "that's not really good enough", "fine", "thanks for your help", "right ok", "I've already tried that", "ok. will wait and see", "brilliant thank you", "so what happens now?", "cheers"]
AGENT_REPLIES: dict[str, list[str]] = {
    "Delivery": ["I'm sorry to hear that. Let me check with the courier for you.", "I can see it's with Jetdrop, I'll raise a query with them now.", "Apologies for the wait, I've flagged this with our delivery team."],
    "Payment": ["Sorry about that. Could you try the website, or clear the app cache and try again?", "I can't see a completed payment on our side, it may be your bank's verification step.", "Thanks, I've passed this to our payments team."],
    "Account": ["You can reset your password from the login page, I'll send you a fresh link.", "At the moment an account is needed to check out in the app, sorry.", "I've unlocked your account, please try again now."],
    "Promotions": ["Let me check that code for you.", "Unfortunately that code excludes sale items.", "I've applied the discount manually for you."],
    "Returns": ["I'll chase the warehouse for you.", "Refunds can take up to 14 days after we receive the item.", "I've escalated this to our returns team."],
    "Product question": ["Let me find that out for you.", "I'll ask the product team and get back to you.", "Good question, one moment."],
    "Order change": ["I'll see if it's still possible before dispatch.", "Let me check whether it's gone to the warehouse yet."],
    "Other": ["Thanks for getting in touch.", "I'll pass that on to the right team.", "Sorry to hear that."],
}
CAUSE_CATEGORY: dict[str, list[tuple[str, int]]] = {
    "shipping_cost_late": [("Delivery", 55), ("Other", 15), ("Order change", 10), ("Payment", 10), ("Promotions", 10)],
    "forced_account": [("Account", 90), ("Other", 10)],
    "mobile_payment_failure": [("Payment", 88), ("Other", 6), ("Account", 6)],
    "promo_code_confusion": [("Promotions", 85), ("Payment", 10), ("Other", 5)],
    "late_delivery": [("Delivery", 92), ("Order change", 4), ("Other", 4)],
    "tracking_not_updating": [("Delivery", 94), ("Other", 6)],
    "slow_refund": [("Returns", 85), ("Payment", 10), ("Other", 5)],
    "hard_to_reach_support": [("Other", 50), ("Returns", 20), ("Delivery", 20), ("Order change", 10)],
    "unclear_sizing_dimensions": [("Product question", 85), ("Returns", 10), ("Other", 5)],
    "assembly_instructions": [("Product question", 70), ("Other", 20), ("Returns", 10)],
    "points_not_credited": [("Other", 40), ("Account", 40), ("Promotions", 20)],
    "irrelevant_ads": [("Other", 100)],
}
STAGE_CATEGORY: dict[str, list[tuple[str, int]]] = {
    "purchase": [("Order change", 70), ("Payment", 15), ("Other", 15)],
    "delivery": [("Delivery", 95), ("Other", 5)],
    "support": [("Returns", 85), ("Other", 15)],
    "consideration": [("Product question", 95), ("Other", 5)],
    "use": [("Product question", 50), ("Returns", 30), ("Other", 20)],
    "loyalty": [("Other", 60), ("Account", 40)],
    "awareness": [("Other", 100)],
    "none": [("Other", 100)],
}
ALL_CATEGORIES = ["Delivery", "Payment", "Account", "Returns", "Promotions", "Product question", "Order change", "Other"]

# ---------------------------------------------------------------------------------------------
# Hand-written standalone records, used verbatim. `needle` marks records that retrieval questions
# in evals/datasets/retrieval.yaml point at (their distinctive detail must stay unique).
# Keys: src, stage, cause, sent, text; optional ticket fields (channel, category, subject, device,
# plan), review fields (title, rating, store), survey fields (device, platform, plan), pii, needle.
# ---------------------------------------------------------------------------------------------
STANDALONE: list[dict] = [
    # --- single needles -------------------------------------------------------------------
    dict(src=SRC_T, stage="delivery", cause="", sent="negative", needle="bin_men", channel="email", category="Delivery",
         subject="Parcel thrown away",
         text="Hi,\n\nMy order LK-20931455 (linen napkins and a bread bin) was marked as delivered on Tuesday with a photo of our recycling bin. The driver had put the parcel IN the recycling bin and it went off with the bin men on Wednesday morning before I got home. The council obviously can't get it back.\n\nCan you send a replacement please? I've added a note to my account saying never use the bins.\n\nThanks,\nRuth"),
    dict(src=SRC_T, stage="use", cause="", sent="negative", needle="petrol", channel="chat", category="Returns",
         subject="Live chat: duvet smell",
         text="Customer: hi, my duvet arrived today vacuum-packed which is fine but when I opened it it smelled strongly of petrol\nCustomer: like genuinely petrol, the whole bedroom reeks\nAgent (Priya): I'm so sorry, that's definitely not right. Has it had a chance to air?\nCustomer: 2 days on the washing line, still smells. I'm not putting that on my kids bed\nAgent (Priya): Completely understand. I'll arrange a collection and a replacement from a different batch."),
    dict(src=SRC_R, stage="purchase", cause="promo_code_confusion", sent="negative", needle="podcast_code", store="Google Play", rating=2,
         title="Podcast code only works on desktop?",
         text="Heard the LARKPOD code on a podcast, tried it on my phone in the app: 'code not recognised'. Tried the mobile site: same. Got home, put it into the desktop site and it worked first time. So it's a desktop-only code?? Nobody says that anywhere."),
    dict(src=SRC_S, stage="consideration", cause="unclear_sizing_dimensions", sent="negative", needle="parachute",
         text="The 'king size' fitted sheet I ordered was clearly made for an American king, it hung off our bed like a parachute. Please label UK and US sizes properly."),
    dict(src=SRC_T, stage="use", cause="assembly_instructions", sent="negative", needle="cam_locks", channel="email", category="Product question",
         subject="Hatherley bookcase - missing parts",
         text="Hello,\n\nThe instructions for the Hatherley bookcase show 14 cam locks but there were only 12 in the bag, and the diagram at step 6 is mirrored so I built the left side on the right. I now have holes in the wrong places. Could you send the missing cam locks and a corrected sheet?\n\nMany thanks\nGeoff"),
    dict(src=SRC_R, stage="loyalty", cause="", sent="negative", needle="stoneware_mug", store="App Store", rating=2,
         title="Gold tier gift never arrived",
         text="Hit Gold tier in August and the app said 'your free stoneware mug is on its way!'. It never came. Two emails to support, two different answers. Small thing but it's the principle."),
    dict(src=SRC_T, stage="support", cause="slow_refund", sent="negative", needle="inpost", channel="email", category="Returns",
         subject="Refund for returned rug",
         text="Hello,\n\nI returned the jute rug via an InPost locker on 3 July (receipt attached). InPost tracking shows it was delivered to your returns centre on 6 July. It's now 14 August and the refund of £89.00 still hasn't appeared. Order LK-21077302.\n\nRegards,\nAnna Whitfield"),
    dict(src=SRC_S, stage="awareness", cause="irrelevant_ads", sent="negative", needle="inverness_bus", plan="member",
         text="Saw a Larkspur ad on the back of a bus in Inverness promising next-day delivery. You don't do next-day to the Highlands, I checked. Bit pointless advertising it up here."),
    dict(src=SRC_T, stage="delivery", cause="tracking_not_updating", sent="negative", needle="tamworth", channel="email", category="Delivery",
         subject="Tracking stuck",
         text="Tracking for JD0002234455667788 has said 'At Tamworth hub' for nine days now. Jetdrop say it's your problem, you say it's theirs. Can someone actually find out where my parcel is?\n\nThanks\nNeil"),
    dict(src=SRC_R, stage="purchase", cause="forced_account", sent="negative", needle="junk_folder", store="App Store", rating=1,
         title="25 minutes for a candle",
         text="Tried to buy a birthday present for my mum. It made me create an account, the verification email went to my junk folder and by the time I found it the link had expired. Did it all again. 25 minutes for a £20 candle."),
    dict(src=SRC_T, stage="support", cause="hard_to_reach_support", sent="negative", needle="vivaldi", channel="phone", category="Returns",
         subject="Call - complaint re hold time",
         text="cust said she was on hold 47 mins listening to the same Vivaldi loop before being cut off, rang back. resolved query re return label. complaint logged re queue times"),
    dict(src=SRC_R, stage="use", cause="", sent="negative", needle="induction", store="App Store", rating=1,
         title="Casserole chipped",
         text="The enamel on the cast iron casserole chipped the very first time I used it on our induction hob. £75 for one stew."),
    dict(src=SRC_T, stage="purchase", cause="shipping_cost_late", sent="negative", needle="excluded_candles", channel="email", category="Delivery",
         subject="Free delivery over £50?",
         text="Your banner says free delivery over £50. My basket was £52.40 and I was still charged £4.99 at the last step because the candles are apparently 'excluded from free delivery'. Where does it say that? I only found out when I got to the payment page.\n\nLaura"),
    dict(src=SRC_R, stage="purchase", cause="mobile_payment_failure", sent="negative", needle="merchant_config", store="Google Play", rating=1,
         title="Google Pay error",
         text="Google Pay works in literally every other app but here it says 'merchant not configured'. Pixel 7, latest version."),
    dict(src=SRC_S, stage="loyalty", cause="", sent="positive", needle="knitting_group", plan="plus",
         text="I've recommended you to my whole knitting group and six of them now buy their bedding here! You should give me commission ha."),
    dict(src=SRC_T, stage="purchase", cause="", sent="neutral", needle="ochre_sage", channel="email", category="Order change",
         subject="Change colour before dispatch",
         text="Hi, I ordered the chunky knit throw in ochre yesterday (LK-20877120) but I've changed my mind and would prefer sage. Can you swap it before it's dispatched? Happy to pay any difference.\n\nThanks, Bev"),
    dict(src=SRC_T, stage="use", cause="", sent="negative", needle="glass_beads", channel="chat", category="Product question",
         subject="Live chat: weighted blanket",
         text="Customer: the weighted blanket I bought for my daughter is leaking tiny glass beads from the seam\nCustomer: they're all over her bed and the carpet, I'm worried about her breathing them in\nAgent (Tom): Oh no, please stop using it straight away. I'll get a full refund sorted and a courier to collect it.\nCustomer: thank you"),
    dict(src=SRC_R, stage="consideration", cause="", sent="negative", needle="mushroom", store="App Store", rating=3,
         title="Colour not as pictured",
         text="The product photos make the 'Storm grey' towels look silver but in real life they're more of a mushroom brown. Nice towels, just not the colour I wanted."),
    dict(src=SRC_T, stage="delivery", cause="", sent="negative", needle="mattress_rain", channel="app", category="Delivery", device="mobile",
         subject="Mattress left outside",
         text="The driver left our new mattress on the pavement outside in the pouring rain, no knock, no card. It's soaked through and the plastic was torn. I'm not sleeping on that."),
    dict(src=SRC_S, stage="support", cause="", sent="positive", needle="aisha",
         text="Aisha on live chat changed my delivery address after the order had already gone to the warehouse, in about four minutes. Absolute star, give her a raise."),
    dict(src=SRC_R, stage="purchase", cause="promo_code_confusion", sent="negative", needle="nhs_discount", store="App Store", rating=2,
         title="NHS discount is a con",
         text="The NHS discount is hidden behind logging in, and when you finally apply it, it says 'not valid with sale items'. Everything is in the sale! So effectively there is no NHS discount."),
    dict(src=SRC_T, stage="loyalty", cause="points_not_credited", sent="negative", needle="husband_points", channel="email", category="Account",
         subject="Points on the wrong account",
         text="Hello,\n\nOur points for order LK-20766591 were credited to my husband's account instead of mine, I think because we have the same surname and postcode. Could you move the 640 points across please? My account email is the one this is sent from.\n\nKind regards,\nMaureen"),
    dict(src=SRC_S, stage="use", cause="assembly_instructions", sent="negative", needle="dad_wardrobe",
         text="Took my dad and me four hours to build the Alder wardrobe. The instructions are diagrams with no words at all and the doors still don't line up."),
    dict(src=SRC_T, stage="none", cause="", sent="neutral", needle="bristol_jobs", channel="email", category="Other",
         subject="Jobs?",
         text="Hi there, are you hiring at your Bristol warehouse? My son has just finished college and is looking for work. Is there a careers page?\n\nThanks"),
    dict(src=SRC_T, stage="delivery", cause="", sent="negative", needle="bread_knife", channel="chat", category="Delivery",
         subject="Live chat: failed delivery",
         text="Customer: my bread knife delivery needed ID and I was at work so they took it back to the depot??\nCustomer: nobody told me a knife needs someone over 18 to sign for it\nAgent (Megan): Sorry about that, bladed items do need an age check on delivery. I can rebook it for Saturday?\nCustomer: fine but put that on the product page"),
    dict(src=SRC_S, stage="consideration", cause="unclear_sizing_dimensions", sent="neutral", needle="airer",
         text="Would love to know the size of the clothes airer when it's folded, not just open. Need to know if it'll fit behind the utility room door."),
    dict(src=SRC_T, stage="support", cause="", sent="negative", needle="qr_post_office", channel="email", category="Returns",
         subject="Returns label",
         text="The QR code on my returns email won't scan at the Post Office. The lady behind the counter tried three times and then on her own phone. Can you send a printable label instead?\n\nOrder LK-21340078\nJoanne"),
    dict(src=SRC_T, stage="delivery", cause="", sent="negative", needle="spiral_staircase", channel="email", category="Delivery",
         subject="Sofa delivery",
         text="Two-man delivery arrived with the Malvern sofa, couldn't get it up our spiral staircase and took it away again. Nobody asked about access when I ordered. What happens now, do I get a refund or can it come in pieces?\n\nRegards\nT. Okonjo"),
    # --- groups (broader questions) -----------------------------------------------------
    # G1 payment taken although the mobile payment "failed"
    dict(src=SRC_T, stage="purchase", cause="mobile_payment_failure", sent="negative", needle="g1_pending", channel="app", category="Payment", device="mobile",
         subject="Charged but no order",
         text="Tried to pay for the copper kettle in the app, the bank screen froze, so I tried again. Now there are two pending payments of £64.00 on my account and no order confirmation at all. Which is it, have I bought it or not?"),
    dict(src=SRC_R, stage="purchase", cause="mobile_payment_failure", sent="negative", needle="g1_pinged", store="App Store", rating=1,
         title="Took my money, no order",
         text="Apple Pay spun for a minute, said failed, then my bank app pinged me saying £38.50 had gone out. No order in my history. Still waiting to hear from support. Uninstalled."),
    dict(src=SRC_S, stage="purchase", cause="mobile_payment_failure", sent="negative", needle="g1_paid_again", device="mobile", platform="android_app",
         text="Money came out of my account but the app said the payment didn't go through, so I paid again on the website. Took 9 days to get the first lot back."),
    # G2 delivered to the wrong address
    dict(src=SRC_S, stage="delivery", cause="", sent="negative", needle="g2_elm",
         text="The courier delivered to 14 Elm Grove instead of 14 Elm Road, the next street over. Luckily the lady there walked it round."),
    dict(src=SRC_T, stage="delivery", cause="", sent="negative", needle="g2_blue_door", channel="email", category="Delivery",
         subject="Delivered to wrong house",
         text="Hello,\n\nThe photo on my delivery confirmation shows a blue front door. Ours is white. Order LK-21190836 has been delivered to the wrong house and I have no idea which one. Please can you find out where it actually went?\n\nThanks\nMarcus"),
    dict(src=SRC_R, stage="delivery", cause="", sent="negative", needle="g2_number_41", store="Google Play", rating=2,
         title="Driver can't read",
         text="App is fine but the driver took my parcel to number 41 instead of 14, second time this has happened. Maybe your app swaps the numbers?? ha"),
    # G3 damaged in transit
    dict(src=SRC_T, stage="delivery", cause="", sent="negative", needle="g3_glasses", channel="email", category="Delivery",
         subject="Broken glasses",
         text="Two of the six wine glasses arrived in pieces, the box had no padding inside at all. Photos attached. Order LK-20412967.\n\nEmma"),
    dict(src=SRC_S, stage="delivery", cause="", sent="negative", needle="g3_mirror",
         text="Mirror arrived with a crack right across the corner, the box looked like it had been dropped from a height."),
    dict(src=SRC_R, stage="delivery", cause="", sent="negative", needle="g3_side_plates", store="App Store", rating=3,
         title="Good app, bad packing",
         text="Love the app, hate that my dinner set came with three smashed side plates. The replacement was quick though."),
    dict(src=SRC_T, stage="delivery", cause="", sent="negative", needle="g3_lamp_base", channel="phone", category="Delivery",
         subject="Call - damaged item",
         text="cust rang re lamp base arrived shattered, courier box crushed. photos requested, replacement sent LK-20554019"),
    # G4 pay later / other payment methods
    dict(src=SRC_S, stage="purchase", cause="", sent="neutral", needle="g4_klarna",
         text="Would be nice if you offered Klarna or Clearpay for the bigger furniture, I'd spread the cost."),
    dict(src=SRC_R, stage="purchase", cause="", sent="negative", needle="g4_paypal", store="Google Play", rating=2,
         title="No PayPal",
         text="No PayPal?? In 2026? Went to checkout and it's card or wallet only. Closed the app."),
    dict(src=SRC_T, stage="purchase", cause="", sent="neutral", needle="g4_bnpl", channel="email", category="Payment",
         subject="Payment options",
         text="Hi, do you offer any buy now pay later options? I'd like the oak dining table but can't pay £649 in one go.\n\nThanks,\nDeborah"),
    # G5 is Plus worth it
    dict(src=SRC_S, stage="loyalty", cause="", sent="negative", needle="g5_paid_29", plan="plus",
         text="Paid £29 for Plus but I've only ordered twice since, not sure the free delivery is worth it for me."),
    dict(src=SRC_R, stage="loyalty", cause="", sent="negative", needle="g5_renewal", store="App Store", rating=2,
         title="Cancelled Plus",
         text="Cancelled Larkspur Plus. They took the renewal without a reminder email and I'd only used the free delivery once all year."),
    dict(src=SRC_T, stage="loyalty", cause="", sent="neutral", needle="g5_saved", channel="email", category="Account", plan="plus",
         subject="Plus renewal",
         text="Hello, can you tell me how much I've actually saved with Plus this year? I'm trying to decide whether to renew next month.\n\nBest,\nHarriet"),
    # G6 packaging waste
    dict(src=SRC_S, stage="delivery", cause="", sent="negative", needle="g6_washing_machine",
         text="A box the size of a washing machine for two tea towels. Please sort out your packaging."),
    dict(src=SRC_R, stage="delivery", cause="", sent="negative", needle="g6_box_in_box", store="Google Play", rating=3,
         title="So much plastic",
         text="Every cushion individually wrapped in plastic, then bubble wrap, then a box inside a box. For a 'sustainable' brand that's a lot of plastic."),
    dict(src=SRC_T, stage="delivery", cause="", sent="negative", needle="g6_polystyrene", channel="email", category="Other",
         subject="Packaging",
         text="I'm disappointed by the amount of polystyrene that came with my lamp. I can't recycle it here in Cardiff and it's gone everywhere.\n\nSiân"),
    # G7 gift orders
    dict(src=SRC_T, stage="delivery", cause="", sent="negative", needle="g7_price_note", channel="email", category="Other",
         subject="Gift order showed price",
         text="I sent the linen bedding set as a wedding present and the delivery note inside showed the price, £142. Embarrassing. I had ticked 'this is a gift'.\n\nPhilippa"),
    dict(src=SRC_S, stage="delivery", cause="", sent="negative", needle="g7_gift_message",
         text="The gift message I paid £2.50 for wasn't included in my niece's parcel."),
    dict(src=SRC_R, stage="purchase", cause="", sent="negative", needle="g7_wrapping", store="App Store", rating=2,
         title="Where's gift wrap gone?",
         text="Gift wrapping option disappeared from the app after the update, had to order on the laptop to get it."),
    # G8 accessibility
    dict(src=SRC_R, stage="purchase", cause="", sent="negative", needle="g8_voiceover", store="App Store", rating=1,
         title="Not accessible",
         text="I use VoiceOver and half the buttons in the app just read out 'button'. Impossible to check out without sighted help."),
    dict(src=SRC_S, stage="consideration", cause="", sent="negative", needle="g8_font_size", age_band="65+", device="mobile", platform="ios_app",
         text="The text on the app is tiny and doesn't get bigger when I change the font size on my phone. I'm 71 and I need my glasses just to find the basket."),
    dict(src=SRC_T, stage="purchase", cause="", sent="negative", needle="g8_grey_text", channel="email", category="Other",
         subject="Hard to read",
         text="My husband is partially sighted and the grey-on-white text on the delivery options page is very hard for him to read. Could you make it darker?\n\nPat"),
    # G9 Northern Ireland surcharge (plus an interview turn, P08)
    dict(src=SRC_T, stage="purchase", cause="shipping_cost_late", sent="negative", needle="g9_belfast", channel="email", category="Delivery",
         subject="Northern Ireland delivery",
         text="Hello,\n\nI live in Belfast (BT7) and put a £30 order together, only to find on the very last screen a £14.99 'Northern Ireland delivery' charge. That's half the order again. This should be on the product pages. I've not gone ahead with it.\n\nRegards,\nConor"),
    # --- not in English -----------------------------------------------------------------
    dict(src=SRC_R, stage="purchase", cause="mobile_payment_failure", sent="negative", store="App Store", rating=1,
         title="Płatność nie działa",
         text="Aplikacja zawiesza się przy płatności Apple Pay. Trzy razy próbowałam i nic."),
    dict(src=SRC_R, stage="consideration", cause="", sent="positive", store="Google Play", rating=5,
         title="Gwych",
         text="Ap gwych, hawdd dod o hyd i bethau. Diolch!"),
    dict(src=SRC_R, stage="delivery", cause="late_delivery", sent="negative", store="Google Play", rating=3,
         title="Bonitas pero lento",
         text="Muy bonitas las toallas pero el envío tardó dos semanas."),
    # --- long, mixed, realistic records (no needle) ---------------------------------------
    dict(src=SRC_S, stage="purchase", cause="shipping_cost_late", sent="negative",
         text="I really wanted to like you. The bedding is gorgeous, the photos are lovely and the prices look fair when you're browsing, but the whole thing falls apart at the end. I put together a basket of about £45 (pillowcases, a throw and two of the little storage baskets), went through the address and everything, and only on the very last page did it tell me delivery was £5.99. By then I'd spent twenty minutes on it. I did go through with it because I'd invested the time, but I felt a bit cheated, if I'm honest, and I told my sister to check the delivery before she starts. Please just put the delivery price on the product page or at least in the basket. Everyone else manages it. Otherwise very happy with what arrived, the throw is lovely."),
    dict(src=SRC_S, stage="purchase", cause="forced_account", sent="negative",
         text="love the towels but checkout was a nightmare. made me create an account, then the password had to have a special character, then it said the email was already registered (from an order in 2023 i think?) so i clicked forgot password and the link took me to the home page. in the end i rang my husband to do it on his laptop. honestly it shouldnt be that hard to give someone money"),
    dict(src=SRC_T, stage="delivery", cause="late_delivery", sent="negative", channel="email", category="Delivery",
         subject="Order LK-20688413 - third time asking",
         text="Dear Larkspur,\n\nThis is now the third time I'm writing about order LK-20688413 (an oak bedside table, £129.00). I ordered on 2 June with an estimated delivery of 5-7 June. On 7 June I got an email saying it was delayed. On 12 June the tracking (JD0004418820937715) said 'out for delivery' and I stayed in all day. Nothing. On 14 June it went back to 'in transit'. Today is 19 June.\n\nI don't want a voucher, I want to know when my table will arrive, or I want my money back. I've been a customer since 2022 and this is the first time I've had a problem, but the way it's been handled is poor.\n\nRegards,\nGillian Price\nDelivery postcode NG7 2RD"),
    dict(src=SRC_R, stage="loyalty", cause="", sent="positive", store="App Store", rating=5,
         title="My favourite homeware shop",
         text="I've been ordering from Larkspur for about three years and I honestly can't fault them. The app is easy to browse, I use the wishlist to save things for payday, and the quality is always better than the price suggests. The linen bedding is the best I've owned. Delivery is usually a couple of days with Plus. When I had a problem with an order they sorted it without any fuss. I've got my mum and both my sisters ordering from here now. The only tiny thing is I wish the app remembered my filters, but that's nitpicking. Keep doing what you're doing!"),
    dict(src=SRC_R, stage="purchase", cause="mobile_payment_failure", sent="negative", store="Google Play", rating=1,
         title="Used to be 5 stars",
         text="Used to love this app. Since the update in July I cannot pay for anything. Add to basket, fine. Checkout, fine. Then I press pay with Google Pay and it opens, asks for my fingerprint, and then drops me back on the basket with 'payment could not be completed'. Tried my debit card instead and the bank verification page is just a white box that never loads. Uninstalled, reinstalled, cleared cache, same. My bank says there were no attempts at all. I ended up going to the website on my laptop which worked first time, so it's definitely your app. Please fix it, the products are great but I'm not going to keep doing this."),
    dict(src=SRC_T, stage="support", cause="slow_refund", sent="negative", channel="chat", category="Returns",
         subject="Live chat: refund",
         text="Customer: Hi, I returned a king size duvet and two pillows on the 2nd, it's now the 29th and no refund\nAgent (Sunil): I'm sorry about that. Can I take your order number?\nCustomer: LK-21009934\nAgent (Sunil): Thanks. I can see the return arrived at our warehouse on the 6th but it hasn't been processed yet. I'll escalate that now.\nCustomer: that's what I was told last week\nAgent (Sunil): I understand, I've marked it urgent. You should see the £118.00 within 3-5 working days.\nCustomer: ok. fingers crossed"),
    dict(src=SRC_S, stage="use", cause="", sent="positive",
         text="Honestly the best towels I've ever bought, still fluffy after months of washing at 60. Bought the matching bath mat too. Checkout was a bit faffy but worth it."),
    dict(src=SRC_T, stage="consideration", cause="unclear_sizing_dimensions", sent="neutral", channel="email", category="Product question",
         subject="Ottoman bed - dimensions",
         text="Hello,\n\nBefore I order the Wensley ottoman bed (double) could you tell me the overall length including the headboard, and the height of the storage space inside when it's lifted? The product page only gives the mattress size. Our bedroom is 3.1m wide and I need to leave room for the door to open.\n\nMany thanks,\nAlan"),
    dict(src=SRC_S, stage="delivery", cause="tracking_not_updating", sent="negative",
         text="tracking said 'we've got your parcel' for 6 days then suddenly it was on my doorstep, no text no nothing, it was there all afternoon in the rain. would be nice to know when its actually coming!!"),
    dict(src=SRC_R, stage="purchase", cause="shipping_cost_late", sent="negative", store="App Store", rating=3,
         title="Good app, shame about delivery pricing",
         text="App itself is nice to use and the products are good. Three stars because the delivery price is a guessing game. I had a £26 basket, the product page said 'delivery from £3.95', and at the final screen it was £6.95 because one item was 'bulky' (a laundry basket!). Why not show it in the basket? I ended up removing it and ordering the rest."),
]


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
class Deck:
    """Draw items in shuffled order without repeats until the deck is exhausted, then reshuffle."""

    def __init__(self, items: list, rng: random.Random) -> None:
        self.items = list(items)
        self.rng = rng
        self.pool: list = []

    def draw(self):
        if not self.pool:
            self.pool = self.items[:]
            self.rng.shuffle(self.pool)
        return self.pool.pop()


def weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    values = [v for v, _ in pairs]
    weights = [w for _, w in pairs]
    return rng.choices(values, weights=weights, k=1)[0]


def random_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def order_no(rng: random.Random) -> str:
    return f"LK-{rng.randint(20100000, 21499999)}"


def tracking_no(rng: random.Random) -> str:
    return "JD000" + "".join(str(rng.randint(0, 9)) for _ in range(13))


def price(rng: random.Random) -> str:
    return f"{rng.choice([12, 18, 24, 29, 34, 39, 45, 49, 59, 64, 75, 89, 99, 129, 149])}.{rng.choice(['00', '99', '50', '95'])}"


def spoken_date(rng: random.Random) -> str:
    d = random_day(rng, WINDOW_START, WINDOW_END - timedelta(days=10))
    style = rng.randint(0, 3)
    if style == 0:
        return f"{d.day} {d:%B}"
    if style == 1:
        return f"{d:%d/%m/%Y}"
    if style == 2:
        return f"{d:%A} {d.day} {d:%B}"
    return d.isoformat()


def fill(text: str, rng: random.Random) -> str:
    """Fill {placeholders} with plausible values (order numbers, prices, dates...)."""
    values = {
        "item": lambda: rng.choice(ITEMS),
        "fee": lambda: rng.choice(FEES),
        "bigfee": lambda: rng.choice(FEES[3:]),
        "code": lambda: rng.choice(CODES),
        "days": lambda: rng.choice(DAYS),
        "amount": lambda: price(rng),
        "price": lambda: price(rng),
        "order": lambda: order_no(rng),
        "tracking": lambda: tracking_no(rng),
        "postcode": lambda: rng.choice(POSTCODES),
        "date": lambda: spoken_date(rng),
        "first": lambda: rng.choice(FIRST_NAMES),
        "last": lambda: rng.choice(SURNAMES),
    }
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)](), text)


def join(parts: list[str]) -> str:
    """Join sentences, closing any that lack end punctuation (casual lines often do)."""
    out = []
    for part in parts:
        part = part.strip()
        if out and out[-1][-1] not in ".!?)" and not out[-1].endswith(("...", "..")):
            out[-1] += "."
        out.append(part)
    return " ".join(out)


def lower_first(text: str) -> str:
    if len(text) > 1 and text[0].isupper() and not text[1].isupper() and not text.startswith("I "):
        return text[0].lower() + text[1:]
    return text


def typo(text: str, rng: random.Random) -> str:
    """Inject one light, human typo; never touches tokens with digits or @ (codes, prices, PII)."""
    tokens = text.split(" ")
    safe = [i for i, t in enumerate(tokens) if t.isalpha() and len(t) >= 5]
    r = rng.random()
    if r < 0.25:
        return " ".join(t if any(c.isdigit() for c in t) or "@" in t else t.lower() for t in tokens)
    if r < 0.42:
        return text.replace("'", "").replace("’", "")
    if r < 0.72 and safe:
        i = rng.choice(safe)
        w = tokens[i]
        j = rng.randint(1, len(w) - 2)
        tokens[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        return " ".join(tokens)
    if r < 0.88 and safe:
        i = rng.choice(safe)
        w = tokens[i]
        j = rng.randint(1, len(w) - 2)
        tokens[i] = w[:j] + w[j + 1 :]
        return " ".join(tokens)
    swaps = [(" you ", " u "), ("please", "pls"), ("because", "cos"), (" I ", " i "), (" and ", " & ")]
    for a, b in swaps:
        if a in text:
            return text.replace(a, b, 1)
    return text


def luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


TEST_CARDS = ["4111 1111 1111 1111", "5555 5555 5555 4444", "4000 0566 5566 5556", "4242424242424242", "3782 822463 10005", "5105-1051-0510-5100"]
assert all(luhn_ok(c) for c in TEST_CARDS)


def pii_email(rng: random.Random) -> str:
    first = rng.choice(FIRST_NAMES).lower()
    last = rng.choice(SURNAMES).lower().replace("'", "")
    sep = rng.choice([".", "_", ""])
    return f"{first}{sep}{last}{rng.choice(['', str(rng.randint(1, 99))])}@{rng.choice(['example.com', 'example.co.uk', 'example.net', 'example.org'])}"


def pii_phone(rng: random.Random) -> str:
    n = rng.randint(0, 999)
    return rng.choice([
        f"07700 900{n:03d}", f"+44 7700 900{n:03d}", f"07700900{n:03d}", f"020 7946 0{n:03d}",
        f"+44 20 7946 0{n:03d}", f"(0161) 496 0{n:03d}", f"0113 496 0{n:03d}", f"0117 496 0{n:03d}",
    ])


def pii_sentence(rng: random.Random, kind: str) -> str:
    if kind == "email":
        return rng.choice([
            "You can email me at {v}.", "My email is {v} if you need it.",
            "Please reply to {v}, I don't check this address.", "(personal email: {v})",
        ]).format(v=pii_email(rng))
    if kind == "phone":
        return rng.choice([
            "Please call me on {v}.", "My number is {v}, I'm in after 5.", "ring me {v}",
            "Best number to reach me is {v}.", "Mobile: {v}",
        ]).format(v=pii_phone(rng))
    card = rng.choice(TEST_CARDS)
    return rng.choice([
        "I even tried my other card, {v}, and that failed too.",
        "The card I used was {v} exp 09/28 if that helps you find the payment.",
        "card number is {v}",
        "It was paid on {v} so please refund to that.",
    ]).format(v=card)


def pick_consistent(rng: random.Random, options: list[str], text: str) -> str:
    """Pick a subject/title that does not name a different wallet or phone than the text does."""
    named = mentions(text)
    banned = {"ios_app": ("Google",), "android_app": ("Apple",), None: ("Apple", "Google")}[named]
    fitting = [o for o in options if not any(b in o for b in banned)]
    return rng.choice(fitting or options)


def mentions(text: str) -> str | None:
    """Which mobile platform a text names, if any."""
    low = text.lower()
    if any(w in low for w in ("google pay", "android", "samsung", "pixel")):
        return "android_app"
    if any(w in low for w in ("apple pay", "iphone", "face id")) or re.search(r"\bios\b", low):
        return "ios_app"
    return None


# ---------------------------------------------------------------------------------------------
# Composition
# ---------------------------------------------------------------------------------------------
class Composer:
    """Builds record texts from the pools; one deck per pool so phrasings rotate before repeating."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cause = {c: Deck(v, rng) for c, v in sorted(CAUSE_CORES.items())}
        self.short = {c: Deck(v, rng) for c, v in sorted(SHORT_CAUSE.items())}
        self.notes = {c: Deck(v, rng) for c, v in sorted(PHONE_NOTES.items())}
        self.other = {
            (stage, sent): Deck([x for x in items if x[0] == sent], rng)
            for stage, items in sorted(STAGE_OTHER.items())
            for sent in ("positive", "neutral", "negative")
            if any(x[0] == sent for x in items)
        }
        self.none = {SRC_S: Deck(NONE_SURVEY, rng), SRC_R: Deck(NONE_REVIEWS, rng), SRC_T: Deck(NONE_TICKETS, rng)}
        self.openers = Deck(OPENERS, rng)
        self.but = Deck(BUT_OPENERS, rng)
        self.asides = Deck(ASIDES, rng)
        self.contexts = Deck(CONTEXTS, rng)

    def core(self, stage: str, cause: str, src: str) -> tuple[str, str]:
        """Return (sentiment, core sentence) for a label."""
        if stage == "none":
            return self.none[src].draw()
        if cause:
            return "negative", fill(self.cause[cause].draw(), self.rng)
        mix = [(k, w) for k, w in OTHER_SENTIMENT[stage] if (stage, k) in self.other]
        sent, text = self.other[(stage, weighted(self.rng, mix))].draw()
        return sent, fill(text, self.rng)

    def short_text(self, stage: str, cause: str, src: str) -> tuple[str, str]:
        rng = self.rng
        if cause and cause in self.short and rng.random() < 0.35:
            return "negative", self.short[cause].draw()
        return self.core(stage, cause, src)

    def freeform(self, stage: str, cause: str, src: str) -> tuple[str, str]:
        """A survey comment or review text: one of several shapes, 2 to ~120 words."""
        rng = self.rng
        if stage == "none":
            return self.none[src].draw()
        if rng.random() < 0.12:
            return self.short_text(stage, cause, src)
        sent, core = self.core(stage, cause, src)
        shape = rng.random()
        cons = CONSEQUENCES.get(stage, ["."])
        if sent == "negative" and shape < 0.22:
            text = f"{fill(self.but.draw(), rng)} {lower_first(core)}"
        elif shape < 0.45:
            text = core
        elif shape < 0.62:
            text = join([fill(self.openers.draw(), rng), core])
        elif shape < 0.75:
            text = join([core, self.asides.draw()])
        elif sent == "negative" and cause:
            second = fill(self.cause[cause].draw(), rng)
            parts = [fill(self.openers.draw(), rng), core, second, rng.choice(cons)]
            if rng.random() < 0.5:
                parts.append(self.asides.draw())
            text = join(parts)
        elif sent == "negative":
            text = join([core, rng.choice(cons)])
        else:
            text = join([core, self.asides.draw()]) if rng.random() < 0.5 else core
        if rng.random() < 0.33:
            text = typo(text, rng)
        return sent, text

    def ticket(self, stage: str, cause: str) -> dict:
        """Compose one support ticket (channel, subject, body, category)."""
        rng = self.rng
        if stage == "none":
            sent, body = self.none[SRC_T].draw()
            return dict(sent=sent, channel=rng.choice(["email", "email", "email", "app"]), body=body,
                        subject=rng.choice(STAGE_SUBJECTS["none"]), category=weighted(rng, STAGE_CATEGORY["none"]))
        if cause == "mobile_payment_failure":
            channel = weighted(rng, [("app", 40), ("chat", 25), ("email", 25), ("phone", 10)])
        else:
            channel = weighted(rng, [("email", 45), ("chat", 25), ("phone", 15), ("app", 15)])
        category = weighted(rng, CAUSE_CATEGORY[cause] if cause else STAGE_CATEGORY[stage])
        if rng.random() < 0.08:  # agents pick the wrong category now and then
            category = rng.choice(ALL_CATEGORIES)
        if channel == "phone" and cause in self.notes:
            body = fill(self.notes[cause].draw(), rng)
            return dict(sent="negative", channel=channel, body=body, subject=PHONE_SUBJECTS[cause], category=category)
        sent, core = self.core(stage, cause, SRC_T)
        if cause:
            subject = fill(pick_consistent(rng, CAUSE_SUBJECTS[cause], core), rng)
        elif sent == "positive":
            subject = rng.choice(["Thank you!", "Feedback", "Compliment", "Just wanted to say", "Happy customer"])
        else:
            subject = fill(rng.choice(STAGE_SUBJECTS[stage]), rng)
        cons = CONSEQUENCES.get(stage, [])
        if channel == "phone":
            who = rng.choice(["cust rang", "customer called", "caller", "cx rang"])
            action = rng.choice(["advised", "logged", "resolved on call", "passed to team", "no further action", "sent email confirmation"])
            body = f"{who}: \"{core}\" - {action}"
            if rng.random() < 0.4:
                body += f". {order_no(rng)}"
            return dict(sent=sent, channel=channel, body=body, subject=f"Call - {subject.lower()}", category=category)
        if channel == "app":
            body = core
            if rng.random() < 0.35:
                body += " " + fill(rng.choice(["Order {order}", "order no {order}", "{order}"]), rng)
            if rng.random() < 0.4:
                body = typo(body, rng)
            return dict(sent=sent, channel=channel, body=body, subject=subject, category=category)
        if channel == "chat":
            agent = rng.choice(AGENTS)
            lines = [f"Customer: {rng.choice(CHAT_HELLOS)}", f"Customer: {core}"]
            if cause and rng.random() < 0.4:
                lines.append(f"Customer: {lower_first(fill(self.cause[cause].draw(), rng))}")
            if rng.random() < 0.3:
                lines.append(f"Customer: it's {order_no(rng)}")
            reply = rng.choice(POSITIVE_REPLIES) if sent == "positive" else rng.choice(AGENT_REPLIES[category])
            lines.append(f"Agent ({agent}): {reply}")
            lines.append(f"Customer: {rng.choice(CHAT_FOLLOWUPS)}")
            if rng.random() < 0.3:
                lines = [typo(x, rng) if x.startswith("Customer") else x for x in lines]
            return dict(sent=sent, channel=channel, body="\n".join(lines), subject=f"Live chat: {subject}", category=category)
        # email
        para = []
        if rng.random() < 0.6:
            para.append(fill(self.contexts.draw(), rng))
        if stage == "delivery" and rng.random() < 0.5:
            para.append(fill(rng.choice(DELIVERY_CONTEXTS), rng))
        para.append(core)
        if cause and rng.random() < 0.35:
            para.append(fill(self.cause[cause].draw(), rng))
        if sent == "negative" and cons and rng.random() < 0.6:
            para.append(rng.choice(cons))
        body_text = join(para)
        if rng.random() < 0.3 and len(para) > 2:
            body_text = join(para[:-1]) + "\n\n" + para[-1]
        body = f"{rng.choice(GREETINGS)}\n\n{body_text}\n\n{fill(rng.choice(SIGNOFFS), rng)}"
        if rng.random() < 0.1:
            body = typo(body, rng)
        return dict(sent=sent, channel=channel, body=body, subject=subject, category=category)


def ticket_time(rng: random.Random, cause: str) -> datetime:
    start = APP_UPDATE if cause == "mobile_payment_failure" and rng.random() < 0.8 else WINDOW_START
    d = random_day(rng, start, WINDOW_END)
    hour = weighted(rng, [(str(h), w) for h, w in zip(range(6, 24), [1, 3, 6, 9, 10, 10, 9, 9, 9, 8, 8, 7, 7, 8, 8, 7, 5, 3], strict=True)])
    return datetime(d.year, d.month, d.day, int(hour), rng.randint(0, 59), rng.randint(0, 59))


def app_version(d: date, rng: random.Random) -> str:
    releases = [
        (date(2026, 3, 23), "5.9.4"), (date(2026, 4, 13), "5.10.0"), (date(2026, 5, 4), "5.10.2"),
        (date(2026, 5, 26), "5.11.0"), (date(2026, 6, 15), "5.12.1"), (date(2026, 6, 29), "5.13.0"),
        (APP_UPDATE, "5.14.0"), (date(2026, 7, 27), "5.14.1"), (date(2026, 8, 17), "5.15.0"),
        (date(2026, 9, 7), "5.16.0"), (date(2026, 9, 21), "5.16.2"),
    ]
    current = [v for when, v in releases if when <= d]
    if len(current) > 1 and rng.random() < 0.15:  # not everyone updates straight away
        return current[-2]
    return current[-1]


def segment_fields(rng: random.Random, stage: str, cause: str, text: str) -> dict:
    """Device, platform and plan consistent with what a text says."""
    named = mentions(text)
    low = text.lower()
    if cause != "mobile_payment_failure" and any(w in low for w in ("laptop", "desktop", "computer")):
        device, platform = "desktop", "web"
    elif cause == "mobile_payment_failure":
        device = "mobile" if named else weighted(rng, [("mobile", 90), ("tablet", 10)])
        platform = named or weighted(rng, [("ios_app", 45), ("android_app", 35), ("web", 20)])
    elif named:
        device, platform = "mobile", named
    else:
        device = weighted(rng, [("mobile", 55), ("desktop", 35), ("tablet", 10)])
        if device == "desktop":
            platform = "web"
        elif device == "tablet":
            platform = weighted(rng, [("web", 60), ("ios_app", 40)])
        else:
            platform = weighted(rng, [("web", 45), ("ios_app", 33), ("android_app", 22)])
    if cause == "forced_account":
        plan = weighted(rng, [("guest", 35), ("member", 65)])
    elif cause == "points_not_credited" or stage == "loyalty":
        plan = weighted(rng, [("member", 55), ("plus", 45)])
    else:
        plan = weighted(rng, [("guest", 25), ("member", 50), ("plus", 25)])
    return dict(device=device, platform=platform, plan=plan)


def label_plan(composer_rng: random.Random) -> dict[str, list[tuple[str, str, dict | None]]]:
    """Per source, the list of labels to produce: (stage, cause, standalone record or None)."""
    plan: dict[str, list[tuple[str, str, dict | None]]] = {SRC_T: [], SRC_S: [], SRC_R: []}
    used: Counter = Counter()
    for rec in STANDALONE:
        key = (rec["stage"], rec["cause"])
        if key not in ALLOCATION:
            raise SystemExit(f"standalone record has no allocation row: {key}")
        plan[rec["src"]].append((rec["stage"], rec["cause"], rec))
        used[(rec["src"], key)] += 1
    for key, per_source in ALLOCATION.items():
        for src, n in per_source.items():
            rest = n - used[(src, key)]
            if rest < 0:
                raise SystemExit(f"more standalone records than allocated for {src} {key}")
            plan[src].extend((key[0], key[1], None) for _ in range(rest))
    for src in plan:
        composer_rng.shuffle(plan[src])
    return plan


def build_tickets(rng: random.Random, comp: Composer, labels: list) -> tuple[list[dict], list[dict]]:
    rows, truth = [], []
    composed = [i for i, (_, _, rec) in enumerate(labels) if rec is None]
    # ~20 composed tickets carry an email, phone number or pasted card number.
    money = [i for i in composed if labels[i][1] in ("mobile_payment_failure", "slow_refund", "promo_code_confusion")]
    card_idx = set(rng.sample(money, 6))  # pasted card numbers turn up where money is discussed
    others = [i for i in composed if labels[i][0] != "none" and i not in card_idx]
    pii_idx = card_idx | set(rng.sample(others, 14))
    for i, (stage, cause, rec) in enumerate(labels):
        if rec is not None:
            t = dict(sent=rec["sent"], channel=rec["channel"], body=rec["text"], subject=rec["subject"], category=rec["category"])
            pii = rec.get("pii", 0)
        else:
            t = comp.ticket(stage, cause)
            pii = 0
            if i in pii_idx:
                kind = "card" if i in card_idx else rng.choice(["email", "phone"])
                sentence = pii_sentence(rng, kind)
                if t["channel"] == "email" and "\n\n" in t["body"]:
                    head, _, tail = t["body"].rpartition("\n\n")
                    t["body"] = f"{head} {sentence}\n\n{tail}"
                else:
                    t["body"] = f"{t['body']} {sentence}" if t["channel"] != "chat" else f"{t['body']}\nCustomer: {sentence}"
                pii = 1
        seg = segment_fields(rng, stage, cause, t["body"])
        device = rec.get("device", seg["device"]) if rec else seg["device"]
        if t["channel"] == "app":
            device = device if device in ("mobile", "tablet") else "mobile"
        elif t["channel"] == "phone" and rng.random() < 0.5:
            device = ""
        plan_ = rec.get("plan", seg["plan"]) if rec else seg["plan"]
        created = ticket_time(rng, cause)
        rows.append(dict(created_at=created, channel=t["channel"], category=t["category"], device=device, plan=plan_, subject=t["subject"], body=t["body"]))
        truth.append(dict(stage=stage, cause=cause, sentiment=t["sent"], has_pii=pii, needle=rec.get("needle") if rec else None))
    order = sorted(range(len(rows)), key=lambda k: rows[k]["created_at"])
    rows = [rows[k] for k in order]
    truth = [truth[k] for k in order]
    for n, (row, tr) in enumerate(zip(rows, truth, strict=True)):
        row["ticket_id"] = f"T-{10001 + n}"
        row["created_at"] = row["created_at"].isoformat(timespec="seconds")
        tr["record_id"] = row["ticket_id"]
    return rows, truth


OBSTACLE_FOR_CAUSE = {
    "shipping_cost_late": "Delivery cost shown late",
    "forced_account": "Had to create an account",
    "mobile_payment_failure": "Payment failed or was declined",
    "promo_code_confusion": "Promo code did not work",
    "late_delivery": "Delivery too slow",
    "unclear_sizing_dimensions": "Could not find product information",
}
BASE_OBSTACLES = [
    ("Delivery cost shown late", 30), ("Nothing - it was easy", 17), ("Had to create an account", 13),
    ("Payment failed or was declined", 8), ("Promo code did not work", 5), ("Delivery too slow", 8),
    ("Price higher than elsewhere", 7), ("Could not find product information", 4), ("Other", 4),
]


def build_survey(rng: random.Random, comp: Composer, labels: list) -> tuple[list[dict], list[dict]]:
    n_comments = len(labels)
    n_rows = round(n_comments / (1 - SURVEY_EMPTY_SHARE))
    entries: list[tuple[str, str, dict | None] | None] = list(labels) + [None] * (n_rows - n_comments)
    rng.shuffle(entries)
    pii_slots = set(rng.sample([i for i, e in enumerate(entries) if e is not None and e[2] is None and e[0] not in ("none",)], 4))
    rows, truth = [], []
    for i, entry in enumerate(entries):
        if entry is None:
            stage, cause, sent, text, pii, rec = "none", "", "neutral", "", 0, None
        else:
            stage, cause, rec = entry
            if rec is not None:
                sent, text, pii = rec["sent"], rec["text"], rec.get("pii", 0)
            else:
                sent, text = comp.freeform(stage, cause, SRC_S)
                pii = 0
                if i in pii_slots:
                    text = f"{text} {rng.choice(['Happy to chat more:', 'Contact me if you want details -', 'Feel free to get in touch,'])} {pii_sentence(rng, rng.choice(['email', 'phone']))}"
                    pii = 1
        seg = segment_fields(rng, stage, cause, text)
        for k in ("device", "platform", "plan"):
            if rec and k in rec:
                seg[k] = rec[k]
        if cause in OBSTACLE_FOR_CAUSE and rng.random() < (0.85 if stage == "purchase" else 0.6):
            obstacle = OBSTACLE_FOR_CAUSE[cause]
        elif rec and rec.get("needle", "").startswith("g4_"):
            obstacle = "Other"
        elif sent == "positive" and rng.random() < 0.55:
            obstacle = "Nothing - it was easy"
        else:
            obstacle = weighted(rng, BASE_OBSTACLES)
        if sent == "negative":
            nps = weighted(rng, [(str(v), w) for v, w in zip(range(11), [5, 4, 6, 8, 9, 10, 10, 9, 7, 4, 3], strict=True)])
        elif sent == "positive":
            nps = weighted(rng, [(str(v), w) for v, w in zip(range(11), [0, 0, 0, 0, 1, 2, 3, 6, 14, 18, 18], strict=True)])
        else:
            nps = weighted(rng, [(str(v), w) for v, w in zip(range(11), [0, 0, 1, 1, 2, 4, 6, 10, 14, 14, 12], strict=True)])
        if cause in PURCHASE_CAUSES:
            ease = weighted(rng, [("1", 25), ("2", 35), ("3", 30), ("4", 10)])
        elif obstacle == "Nothing - it was easy":
            ease = weighted(rng, [("3", 10), ("4", 40), ("5", 50)])
        else:
            ease = weighted(rng, [("2", 10), ("3", 30), ("4", 40), ("5", 20)])
        plan_ = seg["plan"]
        orders = {"guest": rng.choice([1, 1, 1, 2]), "member": rng.choice([1, 1, 2, 2, 3, 4, 5, 6]), "plus": rng.choice([3, 4, 5, 6, 7, 8, 10, 12, 15])}[plan_]
        row = dict(
            submitted_at=random_day(rng, SURVEY_START, SURVEY_END),
            age_band=(rec or {}).get("age_band") or weighted(rng, AGE_BANDS),
            region=weighted(rng, REGIONS), device=seg["device"], platform=seg["platform"], plan=plan_,
            orders_last_12m=orders, nps=int(nps), checkout_ease=int(ease), main_obstacle=obstacle, comments=text,
        )
        if rec and rec.get("needle") == "inverness_bus":
            row["region"] = "Scotland"
        rows.append(row)
        truth.append(None if entry is None else dict(stage=stage, cause=cause, sentiment=sent, has_pii=pii, needle=rec.get("needle") if rec else None))
    order = sorted(range(len(rows)), key=lambda k: rows[k]["submitted_at"])
    rows = [rows[k] for k in order]
    truth = [truth[k] for k in order]
    out_truth = []
    for n, (row, tr) in enumerate(zip(rows, truth, strict=True)):
        row["respondent_id"] = f"S-{n + 1:04d}"
        row["submitted_at"] = row["submitted_at"].isoformat()
        if tr is not None:
            tr["record_id"] = row["respondent_id"]
            out_truth.append(tr)
    return rows, out_truth


def build_reviews(rng: random.Random, comp: Composer, labels: list) -> tuple[list[dict], list[dict]]:
    rows, truth = [], []
    for stage, cause, rec in labels:
        if rec is not None:
            sent, text, title = rec["sent"], rec["text"], rec["title"]
            rating, store = rec["rating"], rec["store"]
            pii = rec.get("pii", 0)
        else:
            sent, text = comp.freeform(stage, cause, SRC_R)
            pii = 0
            if cause and rng.random() < 0.6:
                title = pick_consistent(rng, CAUSE_TITLES[cause], text)
            else:
                title = rng.choice(SENTIMENT_TITLES[sent])
            if rng.random() < 0.08:
                title = ""
            if sent == "negative":
                rating = rng.choice([1, 1, 1, 2, 2, 3])
            elif sent == "neutral":
                rating = rng.choice([2, 3, 3, 3, 4])
            else:
                rating = rng.choice([4, 5, 5, 5, 5])
            if rng.random() < 0.2 and rating in (2, 3) and sent == "negative":
                rating += 1  # mixed feelings rate kinder than they write
            named = mentions(text + " " + title)
            store = {"android_app": "Google Play", "ios_app": "App Store"}.get(named or "") or weighted(rng, [("App Store", 55), ("Google Play", 45)])
        start = APP_UPDATE if cause == "mobile_payment_failure" and rng.random() < 0.8 else WINDOW_START
        d = random_day(rng, start, WINDOW_END)
        rows.append(dict(date=d, store=store, rating=rating, app_version=app_version(d, rng), title=title, text=text))
        truth.append(dict(stage=stage, cause=cause, sentiment=sent, has_pii=pii, needle=rec.get("needle") if rec else None))
    # Two reviewers paste contact details into a public review.
    candidates = [i for i, t in enumerate(truth) if t["needle"] is None and t["stage"] in ("support", "delivery") and len(rows[i]["text"]) > 30]
    for i in rng.sample(candidates, 2):
        rows[i]["text"] += " " + pii_sentence(rng, "email")
        truth[i]["has_pii"] = 1
    order = sorted(range(len(rows)), key=lambda k: rows[k]["date"])
    rows = [rows[k] for k in order]
    truth = [truth[k] for k in order]
    for n, (row, tr) in enumerate(zip(rows, truth, strict=True)):
        row["review_id"] = f"R-{n + 1:04d}"
        row["date"] = row["date"].isoformat()
        tr["record_id"] = row["review_id"]
    return rows, truth


# ---------------------------------------------------------------------------------------------
# Analytics: weekly funnel export and event log
# ---------------------------------------------------------------------------------------------
STEPS = ["visit", "product", "cart", "checkout", "payment", "order"]
DEVICES = ["desktop", "mobile", "tablet"]
# Step conversion (visit->product, product->cart, cart->checkout, checkout->payment, payment->order).
# checkout->payment is low everywhere: delivery cost is revealed on the checkout step.
STEP_RATES = {
    "desktop": [0.62, 0.30, 0.74, 0.55, 0.91],
    "mobile": [0.55, 0.25, 0.70, 0.49, None],  # payment->order: see mobile_payment_rate()
    "tablet": [0.60, 0.28, 0.72, 0.53, 0.87],
}
BASE_VISITS = {"desktop": 21000, "mobile": 52000, "tablet": 6500}
MISSING_WEEK = (date(2026, 8, 31), "tablet")  # the export has no tablet row for this week


def mobile_payment_rate(day: date, platform: str | None = None) -> float:
    """Mobile payment->order: fair before app 5.14.0, poor after it, partly fixed from mid-September."""
    if day < APP_UPDATE:
        base = 0.86
    elif day < date(2026, 9, 14):
        base = 0.53
    else:
        base = 0.68
    if platform == "web":
        return min(0.9, base + 0.08)
    if platform in ("ios_app", "android_app"):
        return base - 0.04
    return base


def step_rate(device: str, step: int, day: date, platform: str | None = None) -> float:
    """Conversion into STEPS[step] (1..5) for a device."""
    rate = STEP_RATES[device][step - 1]
    if rate is None:
        return mobile_payment_rate(day, platform)
    return rate


def build_weekly_funnel(rng: random.Random) -> list[dict]:
    rows = []
    for w in range(26):
        week = WINDOW_START + timedelta(weeks=w)
        season = 1.0 + 0.06 * ((w % 13) / 13) + (0.22 if week == date(2026, 6, 29) else 0.0)
        if week in (date(2026, 5, 4), date(2026, 5, 25), date(2026, 8, 31)):
            season += 0.07  # bank holiday weeks
        for device in DEVICES:
            if (week, device) == MISSING_WEEK:
                continue
            counts = [round(BASE_VISITS[device] * season * rng.gauss(1.0, 0.04))]
            for step in range(1, 6):
                rate = step_rate(device, step, week + timedelta(days=3)) * rng.gauss(1.0, 0.025)
                counts.append(min(counts[-1], round(counts[-1] * rate)))
            rows.append(dict(week_start=week.isoformat(), device=device, **dict(zip(STEPS, counts, strict=True))))
    return rows


def hexid(rng: random.Random, prefix: str, bits: int = 48) -> str:
    return f"{prefix}{rng.getrandbits(bits):0{bits // 4}x}"


def build_events(rng: random.Random, n_users: int = 25500) -> tuple[list[dict], dict]:
    """Simulate users moving through the funnel; returns rows (as written) and noise facts."""
    end = datetime(WINDOW_END.year, WINDOW_END.month, WINDOW_END.day, 23, 59, 59)
    start = datetime(WINDOW_START.year, WINDOW_START.month, WINDOW_START.day)
    span = int((end - start).total_seconds())
    events: list[tuple[datetime, str, str, str, str, str, str]] = []
    gaps = {  # (min, max) seconds within a session before reaching this step
        1: (8, 240), 2: (20, 900), 3: (15, 600), 4: (30, 420), 5: (4, 45),
    }
    for _ in range(n_users):
        device = weighted(rng, [("mobile", 62), ("desktop", 30), ("tablet", 8)])
        if device == "desktop":
            platform = "web"
        elif device == "tablet":
            platform = weighted(rng, [("web", 60), ("ios_app", 35), ("android_app", 5)])
        else:
            platform = weighted(rng, [("web", 45), ("ios_app", 33), ("android_app", 22)])
        region = weighted(rng, REGIONS)
        user = hexid(rng, "u_", 40)
        t = start + timedelta(seconds=rng.randint(0, span - 3600))
        session = hexid(rng, "s_")

        def emit(when: datetime, event: str, sess: str, user=user, device=device, platform=platform, region=region) -> None:
            if when <= end:
                events.append((when, user, sess, device, platform, region, event))

        emit(t, "visit", session)
        step, returned = 1, False
        while step < 6:
            p = step_rate(device, step, t.date(), platform)
            if rng.random() < p:
                if (step == 3 and rng.random() < 0.18) or (step in (1, 2) and rng.random() < 0.04):
                    # comes back later in a new session (hours to days) and carries on
                    t += timedelta(seconds=int(rng.lognormvariate(11.0, 1.1)))
                    session = hexid(rng, "s_")
                    emit(t, "visit", session)
                t += timedelta(seconds=rng.randint(*gaps[step]))
                emit(t, STEPS[step], session)
                step += 1
                continue
            if step == 5 and device == "mobile" and rng.random() < 0.45:
                # a failed mobile payment is often retried straight away
                t += timedelta(seconds=rng.randint(20, 120))
                emit(t, "payment", session)
                if rng.random() < 0.15:
                    t += timedelta(seconds=rng.randint(3, 30))
                    emit(t, "order", session)
                    break
            if not returned and step >= 2 and rng.random() < 0.22:
                returned = True
                t += timedelta(seconds=int(rng.lognormvariate(11.9, 1.0)))  # median ~1.7 days, tail > 7 days
                session = hexid(rng, "s_")
                emit(t, "visit", session)
                if step >= 3 and rng.random() < 0.5:
                    t += timedelta(seconds=rng.randint(10, 200))
                    emit(t, "product", session)
                continue
            break
        if rng.random() < 0.08:  # an unrelated later browse
            later = t + timedelta(days=rng.randint(3, 40), seconds=rng.randint(0, 86400))
            emit(later, "visit", hexid(rng, "s_"))
    # A handful of users whose earlier steps were never logged (ad blockers, app cache clears).
    orphans = 0
    for _ in range(14):
        device = weighted(rng, [("mobile", 60), ("desktop", 30), ("tablet", 10)])
        platform = "web" if device == "desktop" else rng.choice(["web", "ios_app"])
        user, session = hexid(rng, "u_", 40), hexid(rng, "s_")
        region = weighted(rng, REGIONS)
        t = start + timedelta(seconds=rng.randint(0, span - 7200))
        first = rng.choice([2, 3, 4, 5])
        for step in range(first, rng.randint(first, 5) + 1):
            t += timedelta(seconds=rng.randint(10, 300))
            events.append((t, user, session, device, platform, region, STEPS[step]))
        orphans += 1
    events.sort()
    rows = [
        dict(event_id=hexid(rng, "ev_", 64), user_id=u, session_id=s, device=d, platform=p, region=r, event=e,
             timestamp=when.strftime("%Y-%m-%dT%H:%M:%SZ"))
        for when, u, s, d, p, r, e in events
    ]
    # ~0.5% exact duplicate rows (the tracker sent the same event twice).
    dup_idx = sorted(rng.sample(range(len(rows)), round(len(rows) * 0.005)))
    out: list[dict] = []
    dup_set = set(dup_idx)
    for i, row in enumerate(rows):
        out.append(row)
        if i in dup_set:
            out.append(dict(row))
    # A few rows land out of timestamp order (late-arriving batches).
    moved = 0
    for _ in range(30):
        i = rng.randrange(0, len(out) - 60)
        row = out.pop(i)
        out.insert(i + rng.randint(5, 50), row)
        moved += 1
    noise = dict(exact_duplicate_rows=len(dup_idx), orphan_users_without_visit=orphans, rows_moved_out_of_order=moved)
    return out, noise


FUNNEL_DEFINITION = (
    "Exact duplicate rows are ignored; events are ordered by timestamp per user. A user enters the "
    "funnel at their FIRST visit event (t0); users with no visit event are not counted. The user "
    "reached step k (product, cart, checkout, payment, order) if there is an event of step k at a "
    "time >= the time at which they reached step k-1 (greedy: the earliest qualifying event) and "
    "<= t0 + 7 days (604,800 seconds, inclusive). Sessions do not matter. Device and platform are "
    "the user's (constant per user in this file)."
)


def reference_funnel(rows: list[dict]) -> dict:
    """Reference per-step user counts for the event log (see FUNNEL_DEFINITION).

    Definition: exact duplicate rows are ignored; events are ordered by timestamp per user. A user
    enters the funnel at their FIRST `visit` event (t0); users with no `visit` are not counted.
    The user reached step k (product, cart, checkout, payment, order) if there is an event of step
    k at a time >= the time at which they reached step k-1 (greedy: the earliest qualifying event)
    and <= t0 + 7 days (604,800 seconds, inclusive). Sessions do not matter. Device is the user's
    device (constant per user in this file).
    """
    seen = set()
    per_user: dict[str, list[tuple[str, str]]] = defaultdict(list)
    device_of: dict[str, str] = {}
    platform_of: dict[str, str] = {}
    for row in rows:
        key = tuple(row.values())
        if key in seen:
            continue
        seen.add(key)
        per_user[row["user_id"]].append((row["timestamp"], row["event"]))
        device_of[row["user_id"]] = row["device"]
        platform_of[row["user_id"]] = row["platform"]
    counts = {g: Counter() for g in ["overall", *DEVICES, "ios_app", "android_app", "web"]}
    for user, evs in per_user.items():
        evs.sort()
        visits = [ts for ts, e in evs if e == "visit"]
        if not visits:
            continue
        t0 = datetime.strptime(visits[0], "%Y-%m-%dT%H:%M:%SZ")
        limit = t0 + timedelta(days=7)
        reached = ["visit"]
        current = t0
        for step in STEPS[1:]:
            nxt = None
            for ts, e in evs:
                when = datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ")
                if e == step and current <= when <= limit:
                    nxt = when
                    break
            if nxt is None:
                break
            reached.append(step)
            current = nxt
        for step in reached:
            counts["overall"][step] += 1
            counts[device_of[user]][step] += 1
            counts[platform_of[user]][step] += 1
    return {g: {s: c[s] for s in STEPS} for g, c in counts.items()}


def conversions(totals: dict[str, int]) -> dict[str, float]:
    return {
        f"{a}_to_{b}": round(totals[b] / totals[a], 4) if totals[a] else 0.0
        for a, b in itertools.pairwise(STEPS)
    }


# ---------------------------------------------------------------------------------------------
# Output helpers
# ---------------------------------------------------------------------------------------------
def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row[c] for c in columns])
    path.write_text(buf.getvalue(), encoding="utf-8")


def yaml_scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.\-/]*", text) and text.lower() not in ("yes", "no", "true", "false", "null", "on", "off"):
        return text
    return json.dumps(text, ensure_ascii=False)


def yaml_key(key) -> str:
    text = str(key)
    return text if re.fullmatch(r"[A-Za-z0-9_.\-]+", text) and not text[0].isdigit() else json.dumps(text, ensure_ascii=False)


def to_yaml(obj, indent: int = 0) -> str:
    """A small block-style YAML writer for dicts, lists and scalars (stdlib only)."""
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(v, dict | list) and v:
                lines.append(f"{pad}{yaml_key(k)}:")
                lines.append(to_yaml(v, indent + 1))
            elif isinstance(v, dict):
                lines.append(f"{pad}{yaml_key(k)}: {{}}")
            elif isinstance(v, list):
                lines.append(f"{pad}{yaml_key(k)}: []")
            else:
                lines.append(f"{pad}{yaml_key(k)}: {yaml_scalar(v)}")
    elif isinstance(obj, list):
        for item in obj:
            if isinstance(item, dict) and item:
                inner = to_yaml(item, indent + 1).splitlines()
                first = inner[0].lstrip()
                lines.append(f"{pad}- {first}")
                lines.extend(inner[1:])
            elif isinstance(item, list):
                lines.append(f"{pad}-")
                lines.append(to_yaml(item, indent + 1))
            else:
                lines.append(f"{pad}- {yaml_scalar(item)}")
    return "\n".join(lines)


def share(n: int, total: int) -> float:
    return round(n / total, 4) if total else 0.0


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


# ---------------------------------------------------------------------------------------------
# As-is map claims: label and reason for every `; `-separated item of maps/as_is_journey_map.csv.
# Reasons are formatted with figures computed from the generated data (see map_stats()).
# ---------------------------------------------------------------------------------------------
OWNER_REASON = "Organisational assignment; customer data can neither confirm nor refute who owns the stage."
MAP_CLAIMS: dict[tuple[str, str, str], tuple[str, str]] = {
    # Touchpoints
    ("awareness", "Touchpoints", "TV advertising"): ("assumption", "No ticket, survey comment or review mentions TV advertising ({kw_tv} records), and no interviewee does either."),
    ("awareness", "Touchpoints", "Instagram"): ("supported", "{kw_instagram} records mention Instagram (seeing Larkspur or its ads there)."),
    ("awareness", "Touchpoints", "Word of mouth"): ("supported", "{kw_recommend} records mention recommending Larkspur or hearing about it from friends/family; survey NPS promoters are {promoters_pct} of respondents."),
    ("consideration", "Touchpoints", "Product pages"): ("supported", "{kw_product_page} records refer to product pages/listings, mostly missing dimensions (unclear_sizing_dimensions: {c_unclear_sizing_dimensions} records)."),
    ("consideration", "Touchpoints", "Customer reviews"): ("supported", "{kw_reviews} records mention product reviews on the site (helpful or too few)."),
    ("consideration", "Touchpoints", "Price comparison sites"): ("assumption", "Customers compare prices ('Price higher than elsewhere' is the main obstacle for {obs_price} survey respondents) but none mentions a price comparison site."),
    ("purchase", "Touchpoints", "Website checkout"): ("supported", "Funnel export: {wk_checkout_total} checkout starts over 26 weeks; {c_shipping_cost_late} records describe the checkout's delivery-cost step."),
    ("purchase", "Touchpoints", "iOS and Android apps"): ("supported", "Event log platforms ios_app/android_app; {n_reviews} app-store reviews; survey platform: {survey_app_share} used an app."),
    ("purchase", "Touchpoints", "Apple Pay and Google Pay"): ("supported", "{kw_wallet} records mention Apple Pay or Google Pay, mostly failing (mobile_payment_failure: {c_mobile_payment_failure} records)."),
    ("delivery", "Touchpoints", "Jetdrop courier"): ("supported", "{kw_jetdrop} records name the courier Jetdrop; tracking codes in tickets use its JD prefix."),
    ("delivery", "Touchpoints", "Order tracking page"): ("supported", "tracking_not_updating: {c_tracking_not_updating} records ({s_tracking_not_updating} of delivery records) are about the tracking page/link."),
    ("delivery", "Touchpoints", "Dispatch emails"): ("supported", "{kw_dispatch} records mention dispatch/shipping e-mails or messages."),
    ("use", "Touchpoints", "The product itself"): ("supported", "{t_use} use-stage records discuss the products (quality, washing, cooking)."),
    ("use", "Touchpoints", "Assembly instructions"): ("supported", "assembly_instructions: {c_assembly_instructions} records ({s_assembly_instructions} of use-stage records)."),
    ("use", "Touchpoints", "Care labels"): ("assumption", "No record mentions care labels ({kw_care_label} records); a few ask how to wash items."),
    ("support", "Touchpoints", "Phone line"): ("supported", "{ch_phone} support tickets came in by phone."),
    ("support", "Touchpoints", "Live chat"): ("supported", "{ch_chat} support tickets are live-chat transcripts."),
    ("support", "Touchpoints", "Email"): ("supported", "{ch_email} support tickets came in by e-mail."),
    ("support", "Touchpoints", "Returns portal"): ("supported", "{kw_returns_portal} records mention the returns portal, label or QR code."),
    ("loyalty", "Touchpoints", "Larkspur Rewards points"): ("supported", "points_not_credited: {c_points_not_credited} records; {kw_points} records mention points."),
    ("loyalty", "Touchpoints", "Larkspur Plus"): ("supported", "{kw_plus} records mention Larkspur Plus; {survey_plus} survey respondents are on the plus plan."),
    ("loyalty", "Touchpoints", "Newsletter"): ("supported", "{kw_newsletter} records mention the newsletter or marketing e-mails (often as too frequent)."),
    # Customer actions
    ("awareness", "Customer actions", "Sees an ad on TV"): ("assumption", "No record mentions TV ({kw_tv} records)."),
    ("awareness", "Customer actions", "Follows Larkspur on Instagram"): ("assumption", "Records mention seeing Larkspur on Instagram ({kw_instagram}) but none says they follow the account."),
    ("consideration", "Customer actions", "Reads product details and dimensions"): ("supported", "unclear_sizing_dimensions: {c_unclear_sizing_dimensions} records ({s_unclear_sizing_dimensions} of consideration records) show customers looking for dimensions."),
    ("consideration", "Customer actions", "Compares prices with other retailers"): ("supported", "'Price higher than elsewhere' is the main obstacle for {obs_price} survey respondents; {kw_elsewhere} records compare with other shops."),
    ("purchase", "Customer actions", "Adds items to basket"): ("supported", "Funnel export: {wk_cart_total} basket adds (product to cart {wk_product_to_cart})."),
    ("purchase", "Customer actions", "Creates an account"): ("supported", "They do, reluctantly: forced_account {c_forced_account} records ({s_forced_account} of purchase records)."),
    ("purchase", "Customer actions", "Enters a promo code"): ("supported", "promo_code_confusion: {c_promo_code_confusion} records ({s_promo_code_confusion} of purchase records)."),
    ("purchase", "Customer actions", "Pays by card or wallet"): ("supported", "{kw_card_wallet} records mention paying by card, Apple Pay or Google Pay."),
    ("delivery", "Customer actions", "Tracks the parcel"): ("supported", "tracking_not_updating: {c_tracking_not_updating} records."),
    ("delivery", "Customer actions", "Waits in for delivery"): ("supported", "{kw_wait_in} records describe waiting in or taking time off for a delivery."),
    ("use", "Customer actions", "Assembles furniture"): ("supported", "assembly_instructions: {c_assembly_instructions} records."),
    ("use", "Customer actions", "Washes and uses bedding"): ("supported", "{kw_wash} records talk about washing/using bedding and towels."),
    ("support", "Customer actions", "Contacts customer service"): ("supported", "{n_tickets} support tickets over 26 weeks."),
    ("support", "Customer actions", "Returns items for a refund"): ("supported", "slow_refund: {c_slow_refund} records; {kw_return} records mention returning an item."),
    ("loyalty", "Customer actions", "Reorders basics"): ("supported", "Survey: {repeat_share} of respondents placed 2+ orders in the last 12 months."),
    ("loyalty", "Customer actions", "Recommends Larkspur to friends"): ("supported", "{kw_recommend} records mention recommending; NPS promoters {promoters_pct}."),
    # Thoughts
    ("awareness", "Thoughts", "Larkspur looks premium but affordable"): ("assumption", "No record speaks to brand perception before purchase; {obs_price} survey respondents say prices are higher than elsewhere."),
    ("consideration", "Thoughts", "Will this fit my room?"): ("supported", "unclear_sizing_dimensions: {c_unclear_sizing_dimensions} records ({s_unclear_sizing_dimensions} of consideration records)."),
    ("purchase", "Thoughts", "Customers love creating an account so they can track orders"): ("contradicted", "forced_account is the 2nd purchase-stage cause: {c_forced_account} records ({s_forced_account}) complain about having to create an account; survey main obstacle 'Had to create an account': {obs_account}. No record praises account creation."),
    ("delivery", "Thoughts", "It came so fast!"): ("contradicted", "late_delivery is the largest delivery cause: {c_late_delivery} records ({s_late_delivery} of delivery records); delivery sentiment {sent_delivery}."),
    ("use", "Thoughts", "The quality is better than I expected"): ("supported", "{pos_use} positive use-stage records praise quality (of {t_use})."),
    ("support", "Thoughts", "Refunds are quick and painless"): ("contradicted", "slow_refund is the largest support cause: {c_slow_refund} records ({s_slow_refund} of support records) describe refunds taking weeks."),
    ("loyalty", "Thoughts", "Points are easy to collect and redeem"): ("contradicted", "points_not_credited: {c_points_not_credited} records ({s_points_not_credited} of loyalty records) report missing points."),
    # Emotion (the label depends on the stage's sentiment balance; see emotion_label())
    ("awareness", "Emotion", "+0.3 Curious"): ("emotion", ""),
    ("consideration", "Emotion", "+0.5 Inspired"): ("emotion", ""),
    ("purchase", "Emotion", "-0.4 Frustrated"): ("emotion", ""),
    ("delivery", "Emotion", "+0.7 Delighted"): ("emotion", ""),
    ("use", "Emotion", "+0.4 Satisfied"): ("emotion", ""),
    ("support", "Emotion", "-0.3 Annoyed"): ("emotion", ""),
    ("loyalty", "Emotion", "+0.6 Loyal"): ("emotion", ""),
    # Pain points
    ("awareness", "Pain points", "Ads keep following me after I've bought"): ("supported", "irrelevant_ads: {c_irrelevant_ads} records ({s_irrelevant_ads} of awareness records); a small theme."),
    ("consideration", "Pain points", "Dimensions are hard to find on product pages"): ("supported", "unclear_sizing_dimensions: {c_unclear_sizing_dimensions} records ({s_unclear_sizing_dimensions} of consideration records)."),
    ("consideration", "Pain points", "Not enough product photos"): ("assumption", "No record asks for more photos ({kw_more_photos} records); photo complaints are about size and colour, not quantity."),
    ("purchase", "Pain points", "Delivery cost is a surprise at checkout"): ("supported", "shipping_cost_late is the largest purchase-stage cause: {c_shipping_cost_late} records ({s_shipping_cost_late}); survey main obstacle 'Delivery cost shown late': {obs_delivery_cost} (rank 1); funnel checkout to payment {wk_checkout_to_payment} is the largest checkout drop-off."),
    ("purchase", "Pain points", "Most customers abandon checkout because of limited payment options"): ("contradicted", "Only {kw_payment_options} records ({payment_options_share} of purchase records) ask for other payment methods (PayPal, Klarna, Clearpay, pay later); the survey offers no such obstacle. Ranked causes: shipping_cost_late {s_shipping_cost_late}, forced_account {s_forced_account}, mobile_payment_failure {s_mobile_payment_failure} (failures, not missing methods), promo_code_confusion {s_promo_code_confusion}."),
    ("purchase", "Pain points", "Promo codes sometimes fail"): ("supported", "promo_code_confusion: {c_promo_code_confusion} records ({s_promo_code_confusion} of purchase records)."),
    ("delivery", "Pain points", "No significant pain points"): ("contradicted", "Delivery has {t_delivery} records, {neg_delivery} negative: late_delivery {c_late_delivery} ({s_late_delivery}), tracking_not_updating {c_tracking_not_updating} ({s_tracking_not_updating}), plus damaged and misdelivered parcels."),
    ("use", "Pain points", "Assembly instructions are confusing"): ("supported", "assembly_instructions: {c_assembly_instructions} records ({s_assembly_instructions} of use-stage records)."),
    ("use", "Pain points", "Glassware breaks in the dishwasher"): ("assumption", "No record reports glassware breaking in a dishwasher; {kw_dishwasher_break} records mention a dishwasher at all, only to ask whether an item is dishwasher safe."),
    ("support", "Pain points", "Long phone queues"): ("supported", "hard_to_reach_support: {c_hard_to_reach_support} records ({s_hard_to_reach_support} of support records), including hold times of 40-55 minutes."),
    ("loyalty", "Pain points", "Points sometimes don't show up after a purchase"): ("supported", "points_not_credited: {c_points_not_credited} records ({s_points_not_credited} of loyalty records)."),
    # Opportunities
    ("awareness", "Opportunities", "Increase TV spend"): ("assumption", "No data on channels' reach or on TV ({kw_tv} records)."),
    ("consideration", "Opportunities", "Add an AR room visualiser"): ("assumption", "Nobody asks for AR; the evidenced need is plain dimensions ({c_unclear_sizing_dimensions} records)."),
    ("purchase", "Opportunities", "Show delivery cost on product pages"): ("supported", "Addresses shipping_cost_late, the largest purchase-stage cause ({c_shipping_cost_late} records, {s_shipping_cost_late}); customers ask for exactly this."),
    ("purchase", "Opportunities", "Offer guest checkout"): ("supported", "Addresses forced_account ({c_forced_account} records, {s_forced_account})."),
    ("purchase", "Opportunities", "Add more payment methods to cut abandonment"): ("contradicted", "Missing payment methods account for {kw_payment_options} records ({payment_options_share} of purchase records); payment abandonment in the data is failures of existing methods on mobile (payment to order mobile {wk_mobile_payment_to_order} vs desktop {wk_desktop_payment_to_order})."),
    ("delivery", "Opportunities", "Launch a premium next-day option"): ("assumption", "Customers complain that existing next-day/named-day deliveries arrive late; no record asks for a new premium option."),
    ("use", "Opportunities", "QR-code video assembly guides"): ("supported", "Rests on assembly_instructions ({c_assembly_instructions} records); {kw_video} records ask for or mention video guides."),
    ("support", "Opportunities", "Chatbot to deflect calls"): ("contradicted", "{kw_bot} records complain that the existing chatbot is useless or blocks reaching a person (hard_to_reach_support: {c_hard_to_reach_support} records)."),
    ("loyalty", "Opportunities", "Personalised replenishment reminders for bedding"): ("assumption", "No record asks for reminders."),
    # KPIs
    ("consideration", "KPIs", "Product-to-basket rate"): ("supported", "Computable from the funnel export: product to cart {wk_product_to_cart} overall."),
    ("purchase", "KPIs", "Checkout completion (checkout to order) 60%"): ("contradicted", "Funnel export: checkout to order is {wk_checkout_to_order} overall ({wk_order_total} orders / {wk_checkout_total} checkouts); desktop {wk_desktop_checkout_to_order}, mobile {wk_mobile_checkout_to_order}."),
    ("purchase", "KPIs", "Average order value £65"): ("assumption", "No order values in the data (funnel and events carry counts only)."),
    ("delivery", "KPIs", "On-time delivery 98%"): ("assumption", "No delivery-time metric in the data; note late_delivery is the largest delivery theme ({c_late_delivery} records)."),
    ("use", "KPIs", "Return rate for flat-pack items"): ("assumption", "No returns data by product type."),
    ("support", "KPIs", "Refunds processed within 5 working days"): ("contradicted", "slow_refund: {c_slow_refund} records describe refunds taking two to six weeks."),
    ("support", "KPIs", "First contact resolution"): ("assumption", "Tickets carry no resolution outcome."),
    ("loyalty", "KPIs", "Repeat purchase rate"): ("supported", "Computable from the survey (orders_last_12m): {repeat_share} placed 2+ orders."),
    ("loyalty", "KPIs", "NPS +45"): ("contradicted", "Survey NPS is {nps} ({promoters_pct} promoters, {detractors_pct} detractors, n={n_survey})."),
    # Owner
    ("awareness", "Owner", "Brand Marketing"): ("assumption", OWNER_REASON),
    ("consideration", "Owner", "Merchandising"): ("assumption", OWNER_REASON),
    ("purchase", "Owner", "E-commerce Product"): ("assumption", OWNER_REASON),
    ("delivery", "Owner", "Logistics"): ("assumption", OWNER_REASON),
    ("support", "Owner", "Customer Service"): ("assumption", OWNER_REASON),
    ("loyalty", "Owner", "CRM"): ("assumption", OWNER_REASON),
}
KEYWORDS = {
    "kw_tv": [" tv ", "television", "tv ad"],
    "kw_instagram": ["instagram"],
    "kw_recommend": ["recommend", "told all my friends", "my mum told me", "from a colleague", "friend's recommendation", "ordering from here now"],
    "kw_product_page": ["product page", "listing", "the page"],
    "kw_reviews": ["reviews on", "enough reviews"],
    "kw_wallet": ["apple pay", "google pay"],
    "kw_jetdrop": ["jetdrop"],
    "kw_dispatch": ["dispatch email", "email saying", "emails saying", "text said", "got an email"],
    "kw_care_label": ["care label"],
    "kw_returns_portal": ["returns portal", "return label", "returns label", "qr code on my returns"],
    "kw_points": ["points"],
    "kw_plus": ["plus"],
    "kw_newsletter": ["newsletter", "emails", "marketing"],
    "kw_elsewhere": ["elsewhere", "another shop", "other shop", "cheaper"],
    "kw_card_wallet": ["card", "apple pay", "google pay"],
    "kw_wait_in": ["waited in", "stayed in", "day off", "waiting in"],
    "kw_wash": ["wash"],
    "kw_return": ["return"],
    "kw_more_photos": ["more photos", "more pictures"],
    "kw_payment_options": ["paypal", "klarna", "clearpay", "pay later", "spread the cost"],
    "kw_dishwasher_break": ["dishwasher"],
    "kw_video": ["video"],
    "kw_bot": ["bot"],
}


def emotion_label(stage: str, score: float, st: dict) -> tuple[str, str]:
    sent = st["sentiment"][stage]
    total = sum(sent.values())
    pos, neg = sent.get("positive", 0), sent.get("negative", 0)
    balance = (pos - neg) / total if total else 0.0
    facts = f"{stage} records: {total} ({pos} positive, {neg} negative, {sent.get('neutral', 0)} neutral; balance {balance:+.2f})"
    if stage == "loyalty":
        facts += f"; survey NPS {st['nps']}"
    if total < 30:
        return "assumption", f"Too little evidence to set an emotion: {facts}."
    if (score > 0) == (balance > 0) and abs(balance) >= 0.1:
        return "supported", f"Direction matches the evidence: {facts}."
    return "contradicted", f"Direction does not match the evidence: {facts}."


# ---------------------------------------------------------------------------------------------
# Ground truth
# ---------------------------------------------------------------------------------------------
def record_texts(tickets: list[dict], survey: list[dict], reviews: list[dict]) -> dict[str, dict[str, str]]:
    """The free text of every record, per source, keyed by record id (what the ingester embeds)."""
    return {
        SRC_T: {r["ticket_id"]: r["body"] for r in tickets},
        SRC_S: {r["respondent_id"]: r["comments"] for r in survey if r["comments"]},
        SRC_R: {r["review_id"]: r["text"] for r in reviews},
    }


def funnel_truth(weekly: list[dict]) -> dict:
    totals = {g: dict.fromkeys(STEPS, 0) for g in ["overall", *DEVICES]}
    for row in weekly:
        for s in STEPS:
            totals["overall"][s] += row[s]
            totals[row["device"]][s] += row[s]
    conv = {g: conversions(t) for g, t in totals.items()}
    checkout_steps = ["cart_to_checkout", "checkout_to_payment", "payment_to_order"]

    def largest(g: str) -> dict:
        step = min(checkout_steps, key=lambda k: conv[g][k])
        a, b = step.split("_to_")
        return dict(step=step, conversion=conv[g][step], drop_off=round(1 - conv[g][step], 4), users_lost=totals[g][a] - totals[g][b])

    before = dict.fromkeys(("payment", "order"), 0)
    after = dict.fromkeys(("payment", "order"), 0)
    for row in weekly:
        if row["device"] != "mobile":
            continue
        bucket = before if date.fromisoformat(row["week_start"]) < APP_UPDATE else after
        bucket["payment"] += row["payment"]
        bucket["order"] += row["order"]
    return dict(
        file="knowledge/analytics/funnel_weekly_by_device.csv",
        weeks=26,
        rows=len(weekly),
        missing_rows=[dict(week_start=MISSING_WEEK[0].isoformat(), device=MISSING_WEEK[1], note="no tablet row for this week in the export; totals below simply lack it")],
        totals=totals,
        conversion=conv,
        checkout_steps=checkout_steps,
        largest_checkout_dropoff=largest("overall"),
        largest_checkout_dropoff_by_device={d: largest(d) for d in DEVICES},
        mobile_payment_to_order_by_period={
            "before_app_5_14_0 (weeks before 2026-07-13)": share(before["order"], before["payment"]),
            "from_app_5_14_0 (weeks from 2026-07-13)": share(after["order"], after["payment"]),
        },
        worst_segment=dict(device="mobile", step="payment_to_order", conversion=conv["mobile"]["payment_to_order"], desktop=conv["desktop"]["payment_to_order"], tablet=conv["tablet"]["payment_to_order"]),
    )


def compute_stats(truth: dict[str, list[dict]], texts: dict[str, dict[str, str]], tickets: list[dict], survey: list[dict], weekly_truth: dict) -> dict:
    stage_total: Counter = Counter()
    cause_count: Counter = Counter()
    sentiment: dict[str, Counter] = defaultdict(Counter)
    cause_sources: dict[str, Counter] = defaultdict(Counter)
    for src, recs in truth.items():
        for r in recs:
            stage_total[r["stage"]] += 1
            sentiment[r["stage"]][r["sentiment"]] += 1
            if r["cause"]:
                cause_count[r["cause"]] += 1
                cause_sources[r["cause"]][src] += 1
    all_texts = [t for per in texts.values() for t in per.values()]
    kw = {}
    for key, words in KEYWORDS.items():
        kw[key] = sum(1 for t in all_texts if any(w in f" {t.lower()} " for w in words))
    nps_values = [r["nps"] for r in survey]
    promoters = sum(1 for v in nps_values if v >= 9)
    detractors = sum(1 for v in nps_values if v <= 6)
    obstacles = Counter(r["main_obstacle"] for r in survey)
    purchase_texts = [texts[src][r["record_id"]] for src, recs in truth.items() for r in recs if r["stage"] == "purchase"]
    payment_options = sum(1 for t in purchase_texts if any(w in t.lower() for w in KEYWORDS["kw_payment_options"]))
    wk = weekly_truth
    st = dict(
        stage_total=stage_total, cause_count=cause_count, sentiment=sentiment, cause_sources=cause_sources,
        n_tickets=len(tickets), n_survey=len(survey), n_reviews=len(texts[SRC_R]),
        nps=round(100 * (promoters - detractors) / len(nps_values)),
        promoters_pct=pct(promoters / len(nps_values)), detractors_pct=pct(detractors / len(nps_values)),
        obstacles=obstacles,
        repeat_share=pct(sum(1 for r in survey if r["orders_last_12m"] >= 2) / len(survey)),
        survey_app_share=pct(sum(1 for r in survey if r["platform"] != "web") / len(survey)),
        survey_plus=sum(1 for r in survey if r["plan"] == "plus"),
        payment_options=payment_options,
    )
    fmt = dict(st)
    fmt.update(kw)
    for c in CAUSE_STAGE:
        fmt[f"c_{c}"] = cause_count[c]
        fmt[f"s_{c}"] = pct(share(cause_count[c], stage_total[CAUSE_STAGE[c]]))
    for s in STAGES:
        fmt[f"t_{s}"] = stage_total[s]
        fmt[f"pos_{s}"] = sentiment[s]["positive"]
        fmt[f"neg_{s}"] = sentiment[s]["negative"]
        fmt[f"sent_{s}"] = f"{sentiment[s]['negative']} negative / {sentiment[s]['positive']} positive / {sentiment[s]['neutral']} neutral"
    fmt["kw_payment_options"] = payment_options
    fmt["payment_options_share"] = pct(share(payment_options, stage_total["purchase"]))
    fmt["obs_price"] = obstacles["Price higher than elsewhere"]
    fmt["obs_account"] = obstacles["Had to create an account"]
    fmt["obs_delivery_cost"] = obstacles["Delivery cost shown late"]
    fmt["ch_phone"] = sum(1 for t in tickets if t["channel"] == "phone")
    fmt["ch_chat"] = sum(1 for t in tickets if t["channel"] == "chat")
    fmt["ch_email"] = sum(1 for t in tickets if t["channel"] == "email")
    tot, conv = wk["totals"], wk["conversion"]
    fmt["wk_checkout_total"] = tot["overall"]["checkout"]
    fmt["wk_cart_total"] = tot["overall"]["cart"]
    fmt["wk_order_total"] = tot["overall"]["order"]
    fmt["wk_product_to_cart"] = pct(conv["overall"]["product_to_cart"])
    fmt["wk_checkout_to_payment"] = pct(conv["overall"]["checkout_to_payment"])
    fmt["wk_checkout_to_order"] = pct(share(tot["overall"]["order"], tot["overall"]["checkout"]))
    for d in DEVICES:
        fmt[f"wk_{d}_checkout_to_order"] = pct(share(tot[d]["order"], tot[d]["checkout"]))
        fmt[f"wk_{d}_payment_to_order"] = pct(conv[d]["payment_to_order"])
    periods = list(wk["mobile_payment_to_order_by_period"].values())
    fmt["mobile_before"], fmt["mobile_after"] = pct(periods[0]), pct(periods[1])
    st["fmt"] = fmt
    return st


# Statements of knowledge/research/research_summary_2026h1.md (fieldwork Jan-Mar 2026) and how the
# newer data (Apr-Oct 2026) bears on them. Each quote must be verbatim in the summary.
RESEARCH_CLAIMS = [
    ("Unexpected delivery costs were the most frequently mentioned reason for abandoning an order: 31 of the 84 abandoners (37%) in the exit survey.", "supported",
     "shipping_cost_late is still the largest purchase-stage cause ({c_shipping_cost_late} records, {s_shipping_cost_late}) and 'Delivery cost shown late' tops the survey's main_obstacle ({obs_delivery_cost})."),
    ("Being made to create an account was mentioned by 19 of the 84 abandoners (23%)", "supported",
     "forced_account is the 2nd purchase-stage cause: {c_forced_account} records ({s_forced_account})."),
    ("In Q1 2026 payment-to-order completion on mobile (89%) was close to desktop (92%), so payment reliability is not a priority for H1.", "outdated",
     "True before app 5.14.0; since 2026-07-13 mobile payment to order fell to {mobile_after} (weekly export; {mobile_before} before), overall mobile {wk_mobile_payment_to_order} vs desktop {wk_desktop_payment_to_order}; mobile_payment_failure is now the 3rd purchase-stage cause ({c_mobile_payment_failure} records, {s_mobile_payment_failure})."),
    ("About one in ten abandoners (9 of 84) mentioned a code that did not work", "supported",
     "promo_code_confusion: {c_promo_code_confusion} records ({s_promo_code_confusion} of purchase records)."),
    ("Customers complained both about deliveries arriving after the promised date and about tracking that does not update", "supported",
     "late_delivery {c_late_delivery} and tracking_not_updating {c_tracking_not_updating} are the two largest delivery causes ({s_late_delivery}, {s_tracking_not_updating})."),
    ("Refund chasing made up 14% of coded tickets, typically two to four weeks after the return was received.", "supported",
     "slow_refund is the largest support cause ({c_slow_refund} records, {s_slow_refund} of support records)."),
    ("Product quality is the strongest part of the experience.", "supported",
     "Use-stage records are mostly positive ({pos_use} of {t_use})."),
    ("Does Larkspur Plus increase repeat purchase, or do we mostly sign up customers who would have ordered anyway?", "open",
     "Still open: the survey has plan and orders_last_12m but no before/after; records questioning Plus' value are few."),
]


def research_claims(st: dict) -> list[dict]:
    text = (KNOWLEDGE / "research" / "research_summary_2026h1.md").read_text(encoding="utf-8")
    out = []
    for quote, status, reason in RESEARCH_CLAIMS:
        if quote not in text:
            raise SystemExit(f"research claim not verbatim in the summary: {quote!r}")
        out.append(dict(quote=quote, status=status, reason=reason.format(**st["fmt"])))
    return out


def map_claims(st: dict) -> dict:
    with (KNOWLEDGE / "maps" / "as_is_journey_map.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        grid = list(reader)
    stage_ids = [h.strip().lower() for h in header[1:]]
    claims, missing, seen = [], [], set()
    for row in grid:
        lane = row[0]
        for stage, cell in zip(stage_ids, row[1:], strict=True):
            items = [x.strip() for x in cell.split("; ") if x.strip()]
            if not items:
                missing.append(dict(stage=stage, lane=lane))
            for text in items:
                key = (stage, lane, text)
                if key not in MAP_CLAIMS:
                    raise SystemExit(f"as-is map claim without a label: {key}")
                seen.add(key)
                label, reason = MAP_CLAIMS[key]
                if label == "emotion":
                    score = float(text.split()[0])
                    label, reason = emotion_label(stage, score, st)
                else:
                    reason = reason.format(**st["fmt"])
                claims.append(dict(stage=stage, lane=lane, text=text, label=label, reason=reason))
    unused = set(MAP_CLAIMS) - seen
    if unused:
        raise SystemExit(f"labelled claims not in the map: {sorted(unused)}")
    return dict(claims=claims, missing=missing)


# ---------------------------------------------------------------------------------------------
# Checks on the hand-written files that point into the generated ones
# ---------------------------------------------------------------------------------------------
PII_PATTERNS = [
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    re.compile(r"(?:\+44\s?|0)(?:7700\s?900\d{3}|20\s?7946\s?0\d{3}|\(?0?1\d{2}\)?\s?496\s?0\d{3})"),
    re.compile(r"\b(?:\d[ -]?){13,19}\b"),
]


def interview_turns(path: Path) -> list[str]:
    """Split a transcript into speaker turns (a turn runs until the next `Name:` line)."""
    turns: list[str] = []
    speaker = re.compile(r"^(?:\[\d{1,2}:\d{2}(?::\d{2})?\]\s*)?([A-Z][\w'-]*(?: [A-Z][\w'-]*)?):\s")
    body = path.read_text(encoding="utf-8").split("\n\n", 1)[1]
    for line in body.splitlines():
        if speaker.match(line):
            turns.append(line)
        elif turns:
            turns[-1] += "\n" + line
    return turns


def check_retrieval(texts: dict[str, dict[str, str]]) -> list[str]:
    problems: list[str] = []
    if not RETRIEVAL.exists():
        return [f"{RETRIEVAL} missing"]
    entry = re.compile(r'^\s*-\s*\{source:\s*([^,]+?),\s*contains:\s*("(?:[^"\\]|\\.)*")\s*\}')
    n_questions = 0
    for line in RETRIEVAL.read_text(encoding="utf-8").splitlines():
        if re.match(r"^\s*-\s*id:\s*q\d+", line):
            n_questions += 1
        m = entry.match(line)
        if not m:
            continue
        source, needle = m.group(1).strip(), json.loads(m.group(2))
        if "\n" in needle or any(p.search(needle) for p in PII_PATTERNS):
            problems.append(f"{source}: contains has a line break or PII-like text: {needle!r}")
        if source in texts:
            hits = [rid for rid, t in texts[source].items() if needle in t]
            if len(hits) != 1:
                problems.append(f"{source}: {needle!r} matches {len(hits)} records")
        else:
            path = KNOWLEDGE / "interviews" / source
            if not path.exists():
                path = KNOWLEDGE / "research" / source
            if not path.exists():
                problems.append(f"unknown source {source}")
                continue
            whole = path.read_text(encoding="utf-8").count(needle)
            if path.parent.name == "interviews":
                units = [t for t in interview_turns(path) if needle in t]
            else:
                units = [p for p in path.read_text(encoding="utf-8").split("\n\n") if needle in p]
            if whole != 1 or len(units) != 1:
                problems.append(f"{source}: {needle!r} occurs {whole} times / in {len(units)} turns or paragraphs")
    if n_questions < 32:
        problems.append(f"retrieval.yaml has only {n_questions} questions")
    return problems


def check_quotes(path: Path, base: Path) -> list[str]:
    """Every `quote:` under a `file:` entry must be verbatim in that file."""
    problems: list[str] = []
    if not path.exists():
        return [f"{path} missing"]
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r'^\s*-?\s*file:\s*(\S+)', line)
        if m:
            current = base / m.group(1)
            continue
        m = re.match(r'^\s*-?\s*quote:\s*("(?:[^"\\]|\\.)*")\s*$', line)
        if m and current is not None:
            quote = json.loads(m.group(1))
            if quote not in current.read_text(encoding="utf-8"):
                problems.append(f"{current.name}: quote not verbatim: {quote[:60]!r}")
    return problems


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------
def main() -> int:
    comp = Composer(random.Random(SEED + 1))
    labels = label_plan(random.Random(SEED + 2))
    tickets, t_truth = build_tickets(random.Random(SEED + 3), comp, labels[SRC_T])
    survey, s_truth = build_survey(random.Random(SEED + 4), comp, labels[SRC_S])
    reviews, r_truth = build_reviews(random.Random(SEED + 5), comp, labels[SRC_R])
    weekly = build_weekly_funnel(random.Random(SEED + 6))
    events, noise = build_events(random.Random(SEED + 7))

    write_csv(KNOWLEDGE / "tickets" / "support_tickets.csv", ["ticket_id", "created_at", "channel", "category", "device", "plan", "subject", "body"], tickets)
    write_csv(KNOWLEDGE / "survey" / "customer_survey_2026q3.csv", ["respondent_id", "submitted_at", "age_band", "region", "device", "platform", "plan", "orders_last_12m", "nps", "checkout_ease", "main_obstacle", "comments"], survey)
    write_csv(KNOWLEDGE / "reviews" / "app_store_reviews.csv", ["review_id", "date", "store", "rating", "app_version", "title", "text"], reviews)
    write_csv(KNOWLEDGE / "analytics" / "funnel_weekly_by_device.csv", ["week_start", "device", *STEPS], weekly)
    write_csv(KNOWLEDGE / "analytics" / "events.csv", ["event_id", "user_id", "session_id", "device", "platform", "region", "event", "timestamp"], events)

    truth = {SRC_T: t_truth, SRC_S: s_truth, SRC_R: r_truth}
    texts = record_texts(tickets, survey, reviews)
    rec_rows = [dict(source=src, record_id=r["record_id"], stage=r["stage"], cause=r["cause"], sentiment=r["sentiment"], has_pii=r["has_pii"]) for src, recs in truth.items() for r in recs]
    write_csv(GROUND_TRUTH / "records.csv", ["source", "record_id", "stage", "cause", "sentiment", "has_pii"], rec_rows)

    weekly_truth = funnel_truth(weekly)
    st = compute_stats(truth, texts, tickets, survey, weekly_truth)
    ref = reference_funnel(events)

    stages_out = {}
    for stage in [*STAGES, "none"]:
        total = st["stage_total"][stage]
        causes = sorted((c for c, s in CAUSE_STAGE.items() if s == stage), key=lambda c: -st["cause_count"][c])
        entry = dict(total=total, sentiment={k: st["sentiment"][stage][k] for k in ("negative", "neutral", "positive")})
        if causes:
            entry["causes"] = {
                c: dict(count=st["cause_count"][c], share=share(st["cause_count"][c], total),
                        sources={s: st["cause_sources"][c][s] for s in (SRC_T, SRC_S, SRC_R) if st["cause_sources"][c][s]})
                for c in causes
            }
            entry["no_cause"] = dict(count=total - sum(st["cause_count"][c] for c in causes), share=share(total - sum(st["cause_count"][c] for c in causes), total))
            entry["cause_ranking"] = causes
        stages_out[stage] = entry
    # Who: device and platform of the purchase-stage causes (tickets and survey carry a device).
    segments = {}
    for c in PURCHASE_CAUSES:
        dev, plat = Counter(), Counter()
        for src, rows, key in ((SRC_T, tickets, "ticket_id"), (SRC_S, survey, "respondent_id")):
            by_id = {r[key]: r for r in rows}
            for r in truth[src]:
                if r["cause"] == c:
                    dev[by_id[r["record_id"]]["device"] or "unknown"] += 1
                    if src == SRC_S:
                        plat[by_id[r["record_id"]]["platform"]] += 1
        segments[c] = dict(ticket_and_survey_device=dict(sorted(dev.items())), survey_platform=dict(sorted(plat.items())), app_store_reviews=st["cause_sources"][c][SRC_R])
    obstacles = st["obstacles"]
    planted = {
        "generated_by": "scripts/generate_knowledge.py (do not edit by hand; rerun the script)",
        "seed": SEED,
        "window": dict(start=WINDOW_START.isoformat(), end=WINDOW_END.isoformat()),
        "notes": [
            "Counts are over labelled text records: every ticket, every review and every survey row with a non-empty comments field (see records.csv).",
            "stage none = off-topic, empty-ish (n/a, emoji) or generic praise that names no stage.",
            "share = count / total labelled records of that stage (including records with no planted cause).",
            "Each record has exactly one label, its primary topic; mixed records such as 'love the towels but checkout was a nightmare' are labelled by the complaint.",
        ],
        "records": dict(total=len(rec_rows), by_source={s: len(truth[s]) for s in (SRC_T, SRC_S, SRC_R)},
                        with_pii={s: sum(r["has_pii"] for r in truth[s]) for s in (SRC_T, SRC_S, SRC_R)},
                        survey_rows=len(survey), survey_rows_with_empty_comments=len(survey) - len(s_truth)),
        "stages": stages_out,
        "purchase_cause_segments": segments,
        "research_summary_claims": dict(file="knowledge/research/research_summary_2026h1.md", claims=research_claims(st)),
        "survey_main_obstacle": dict(counts=dict(obstacles.most_common()), ranking=[k for k, _ in obstacles.most_common()],
                                     nps=st["nps"], promoters=st["promoters_pct"], detractors=st["detractors_pct"]),
        "checkout_dropoff": dict(
            weekly_export=weekly_truth,
            event_log=dict(
                file="knowledge/analytics/events.csv",
                rows=len(events),
                users=len({e["user_id"] for e in events}),
                definition=FUNNEL_DEFINITION,
                users_reached=ref,
                conversion={g: conversions(t) for g, t in ref.items()},
                largest_checkout_dropoff={
                    g: min(["cart_to_checkout", "checkout_to_payment", "payment_to_order"], key=lambda k, g=g: conversions(ref[g])[k])
                    for g in ["overall", *DEVICES]
                },
                noise=noise,
            ),
        ),
    }
    GROUND_TRUTH.mkdir(parents=True, exist_ok=True)
    header = "# Ground truth for the Larkspur Home sample knowledge base (synthetic data).\n# Written by scripts/generate_knowledge.py; rerun it rather than editing this file.\n"
    (GROUND_TRUTH / "planted_causes.yaml").write_text(header + to_yaml(planted) + "\n", encoding="utf-8")

    mc = map_claims(st)
    claims_doc = {
        "map": "knowledge/maps/as_is_journey_map.csv",
        "labels": {
            "supported": "the data backs the claim (figures in reason)",
            "assumption": "the data cannot speak to it (not mentioned, or not measurable from this data)",
            "contradicted": "the data says otherwise (figures in reason)",
        },
        "summary": dict(Counter(c["label"] for c in mc["claims"])),
        "missing_components": mc["missing"],
        "claims": mc["claims"],
    }
    (GROUND_TRUTH / "as_is_map_claims.yaml").write_text(header + to_yaml(claims_doc) + "\n", encoding="utf-8")

    problems = check_retrieval(texts)
    problems += check_quotes(GROUND_TRUTH / "interviews.yaml", KNOWLEDGE / "interviews")
    problems += sanity(tickets, survey, reviews, weekly, events, st, weekly_truth, ref)

    print(f"tickets {len(tickets)}  survey rows {len(survey)} ({len(s_truth)} with comments)  reviews {len(reviews)}")
    print(f"weekly funnel rows {len(weekly)}  events {len(events)}  labelled records {len(rec_rows)}")
    for stage in [*STAGES, "none"]:
        e = stages_out[stage]
        causes = ", ".join(f"{c} {v['count']} ({pct(v['share'])})" for c, v in e.get("causes", {}).items())
        print(f"  {stage:<13} {e['total']:>4}  {causes}")
    big = weekly_truth["largest_checkout_dropoff"]
    print(f"largest checkout drop-off (weekly export): {big['step']} conversion {pct(big['conversion'])}")
    print(f"mobile payment_to_order {pct(weekly_truth['conversion']['mobile']['payment_to_order'])} vs desktop {pct(weekly_truth['conversion']['desktop']['payment_to_order'])}")
    print(f"survey main_obstacle ranking: {', '.join(f'{k} {v}' for k, v in obstacles.most_common(4))}")
    print(f"map claims: {claims_doc['summary']}")
    if problems:
        print("PROBLEMS:")
        for p in problems:
            print("  -", p)
        return 1
    print("checks: ok (retrieval substrings verbatim and unique, interview quotes verbatim, funnel sane)")
    return 0


def sanity(tickets, survey, reviews, weekly, events, st, weekly_truth, ref) -> list[str]:
    problems = []
    if len(tickets) < 450 or len(survey) < 320 or len(reviews) < 220 or len(events) < 55000:
        problems.append("row counts below target")
    for row in weekly:
        counts = [row[s] for s in STEPS]
        if any(b > a for a, b in itertools.pairwise(counts)):
            problems.append(f"funnel step larger than previous: {row}")
    if len(weekly) != 26 * 3 - 1:
        problems.append("weekly funnel should have exactly one missing row")
    shares = [st["cause_count"][c] for c in PURCHASE_CAUSES]
    if shares != sorted(shares, reverse=True) or len(set(shares)) != 4:
        problems.append(f"purchase causes not strictly ordered: {shares}")
    if weekly_truth["largest_checkout_dropoff"]["step"] != "checkout_to_payment":
        problems.append("largest checkout drop-off is not checkout_to_payment")
    conv = weekly_truth["conversion"]
    if not conv["mobile"]["payment_to_order"] < conv["desktop"]["payment_to_order"] - 0.1:
        problems.append("mobile payment->order not clearly worse")
    top = st["obstacles"].most_common(1)[0][0]
    if top != "Delivery cost shown late":
        problems.append(f"survey main_obstacle top is {top}")
    ev = conversions(ref["overall"])
    if min(["cart_to_checkout", "checkout_to_payment", "payment_to_order"], key=lambda k: ev[k]) != "checkout_to_payment":
        problems.append(f"event-log largest checkout drop-off is not checkout_to_payment: {ev}")
    if not conversions(ref["mobile"])["payment_to_order"] < conversions(ref["desktop"])["payment_to_order"] - 0.1:
        problems.append("event log: mobile payment->order not clearly worse")
    for path in (KNOWLEDGE / "tickets" / "support_tickets.csv", KNOWLEDGE / "survey" / "customer_survey_2026q3.csv", KNOWLEDGE / "reviews" / "app_store_reviews.csv"):
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        if not rows or any(None in r for r in rows):
            problems.append(f"{path.name} does not read back as clean CSV")
    digest = hashlib.sha256("".join(sorted(t["body"] for t in tickets)).encode()).hexdigest()[:12]
    print(f"ticket text digest {digest}")
    return problems


if __name__ == "__main__":
    sys.exit(main())
