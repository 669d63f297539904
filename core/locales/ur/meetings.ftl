# میٹنگز، یاد دہانیاں اور کیلنڈر، اردو میں۔

## کوئی چیز کب ہے، یاد دہانی کے وقت سے
when-today = آج { $time } بجے
when-tomorrow = کل { $time } بجے
when-date = { $weekday } { $day } { $month }، { $time } بجے
when-date-easy = { $weekday } { $day } { $month } کو { $time } بجے
day-today = آج
day-tomorrow = کل
day-date = { $weekday } { $day } { $month }

weekday-1 = پیر
weekday-2 = منگل
weekday-3 = بدھ
weekday-4 = جمعرات
weekday-5 = جمعہ
weekday-6 = ہفتہ
weekday-7 = اتوار

month-1 = جنوری
month-2 = فروری
month-3 = مارچ
month-4 = اپریل
month-5 = مئی
month-6 = جون
month-7 = جولائی
month-8 = اگست
month-9 = ستمبر
month-10 = اکتوبر
month-11 = نومبر
month-12 = دسمبر

## یاد دہانیاں
reminder-meeting-title = میٹنگ: { $title }
reminder-meeting-title-easy = آپ کی ایک میٹنگ ہے: { $title }
reminder-meeting-moved-title = میٹنگ کا نیا وقت: { $title }
reminder-meeting-moved-title-easy = آپ کی میٹنگ کا وقت بدل گیا ہے: { $title }
reminder-meeting-body = آغاز: { $when }۔ جگہ: { $place }
reminder-meeting-body-easy = میٹنگ { $when } شروع ہوگی۔ یہاں آئیں: { $place }
reminder-meeting-body-online = آغاز: { $when }۔ آن لائن: شامل ہونے کے لیے Equally کھولیں۔
reminder-meeting-body-online-easy = میٹنگ { $when } شروع ہوگی۔ یہ آن لائن ہے۔ شامل ہونے کے لیے ایپ کھولیں۔
reminder-meeting-body-no-place = آغاز: { $when }۔
reminder-meeting-body-no-place-easy = میٹنگ { $when } شروع ہوگی۔
reminder-proposal-title = ووٹنگ جلد بند ہو رہی ہے: { $title }
reminder-proposal-title-easy = براہ کرم ووٹ دیں: { $title }
reminder-proposal-body = ووٹنگ { $when } بند ہوگی۔ آپ کا ووٹ ہر کسی کے ووٹ کے برابر ہے۔
reminder-proposal-body-easy = ووٹنگ { $when } بند ہوگی۔ آپ کا ووٹ بھی اتنا ہی اہم ہے جتنا سب کا۔
reminder-action-title = کرنے کا کام: { $title }
reminder-action-title-easy = آپ کا کام: { $title }
reminder-action-body = آخری دن: { $when }۔ اگر نہ ہو سکے تو "آج نہیں" کہنا بھی ایک جواب ہے۔
reminder-action-body-easy = آخری دن: { $when }۔ آپ "آج نہیں" کہہ سکتے ہیں۔ یہ ٹھیک ہے۔

## رسائی: میٹنگ میں کیا سہولت ہے
access-feature-step-free = سیڑھیوں کے بغیر رسائی
access-feature-hearing-loop = ہیئرنگ لوپ
access-feature-quiet-room = پرسکون کمرہ
access-feature-interpreter = ترجمان
access-feature-bsl = برٹش سائن لینگویج (BSL) کا ترجمان
access-feature-childcare = بچوں کی دیکھ بھال
access-feature-accessible-toilet = معذور افراد کے لیے موزوں بیت الخلا
access-feature-large-print = بڑے حروف میں کاغذات
access-feature-easy-read-papers = آسان زبان میں کاغذات
access-feature-captions = براہ راست کیپشن

## رسائی کے خدشات، صرف منتظم کے لیے
access-concern-need = { $need ->
    [step-free] { $name } کو سیڑھیوں کے بغیر رسائی کی ضرورت ہے؛ اس میٹنگ میں یہ سہولت نہیں ہے۔
    [hearing-loop] { $name } کو ہیئرنگ لوپ کی ضرورت ہے؛ اس میٹنگ میں یہ سہولت نہیں ہے۔
    [quiet-room] { $name } کو پرسکون کمرے کی ضرورت ہے؛ اس میٹنگ میں یہ سہولت نہیں ہے۔
    [interpreter] { $name } کو ترجمان کی ضرورت ہے؛ اس میٹنگ میں یہ سہولت نہیں ہے۔
    [bsl] { $name } کو BSL ترجمان کی ضرورت ہے؛ اس میٹنگ میں یہ سہولت نہیں ہے۔
    [childcare] { $name } کو بچوں کی دیکھ بھال کی ضرورت ہے؛ اس میٹنگ میں یہ سہولت نہیں ہے۔
    [accessible-toilet] { $name } کو موزوں بیت الخلا کی ضرورت ہے؛ اس میٹنگ میں یہ سہولت نہیں ہے۔
    [large-print] { $name } کو بڑے حروف میں کاغذات کی ضرورت ہے؛ اس میٹنگ میں یہ سہولت نہیں ہے۔
    [easy-read-papers] { $name } کو آسان زبان میں کاغذات کی ضرورت ہے؛ اس میٹنگ میں یہ سہولت نہیں ہے۔
    [captions] { $name } کو براہ راست کیپشن کی ضرورت ہے؛ اس میٹنگ میں یہ سہولت نہیں ہے۔
   *[other] { $name } کی ایک ضرورت یہ میٹنگ پوری نہیں کرتی۔
}
access-concern-need-easy = { $need ->
    [step-free] { $name } کو بغیر سیڑھیوں کا راستہ چاہیے۔ اس میٹنگ میں یہ نہیں ہے۔
    [hearing-loop] { $name } کو ہیئرنگ لوپ چاہیے۔ اس میٹنگ میں یہ نہیں ہے۔
    [quiet-room] { $name } کو پرسکون کمرہ چاہیے۔ اس میٹنگ میں یہ نہیں ہے۔
    [interpreter] { $name } کو ترجمہ کرنے والا چاہیے۔ اس میٹنگ میں یہ نہیں ہے۔
    [bsl] { $name } کو اشاروں کی زبان (BSL) جاننے والا چاہیے۔ اس میٹنگ میں یہ نہیں ہے۔
    [childcare] { $name } کو بچوں کی دیکھ بھال کرنے والا چاہیے۔ اس میٹنگ میں یہ نہیں ہے۔
    [accessible-toilet] { $name } کو موزوں بیت الخلا چاہیے۔ اس میٹنگ میں یہ نہیں ہے۔
    [large-print] { $name } کو بڑے حروف والے کاغذات چاہییں۔ اس میٹنگ میں یہ نہیں ہیں۔
    [easy-read-papers] { $name } کو آسان زبان والے کاغذات چاہییں۔ اس میٹنگ میں یہ نہیں ہیں۔
    [captions] { $name } کو اسکرین پر لکھے الفاظ چاہییں۔ اس میٹنگ میں یہ نہیں ہیں۔
   *[other] { $name } کو کچھ چاہیے جو اس میٹنگ میں نہیں ہے۔
}
access-concern-unavailable = یہ میٹنگ اس وقت ہے جب { $name } نے کہا تھا کہ وہ نہیں آ سکتے۔
access-concern-unavailable-easy = { $name } نے کہا ہے کہ وہ اس وقت نہیں آ سکتے۔

## کیلنڈر میں شامل کریں
calendar-my-meetings = میری میٹنگز
calendar-access = رسائی:
calendar-join-online = آن لائن شامل ہوں:
calendar-online = آن لائن

## چیک اِن: موڈ کے پانچ چہرے، بلند آواز میں پڑھنے کے لیے
mood-1 = بہت اداس
mood-2 = اداس
mood-3 = ٹھیک ٹھاک
mood-4 = اچھا
mood-5 = بہت اچھا

## ہوم اسکرین پر جو انتظار میں ہے
home-waiting-meeting-moved = { $title } کا نیا وقت { $when } ہے۔
home-waiting-meeting-moved-easy = { $title } اب نئے وقت پر ہے: { $when }۔
home-waiting-meeting-cancelled = { $title } منسوخ ہو گئی ہے۔
home-waiting-meeting-cancelled-easy = { $title } نہیں ہو گی۔ یہ منسوخ ہے۔
home-waiting-meeting-changed = { $title } کی جگہ یا شامل ہونے کا طریقہ بدل گیا ہے۔ براہ کرم تفصیل دیکھیں۔
home-waiting-meeting-changed-easy = { $title } بدل گئی ہے۔ براہ کرم دیکھیں کہ یہ کہاں ہے۔
home-waiting-place = { $title } میں آپ کے لیے جگہ خالی ہو گئی ہے۔
home-waiting-place-easy = اچھی خبر: اب آپ { $title } میں جا سکتے ہیں۔
home-waiting-follow-up = { $name } سے دوبارہ رابطہ کریں، { $when } تک۔
home-waiting-follow-up-group = دوبارہ دیکھیں: { $title }، { $when } تک۔
