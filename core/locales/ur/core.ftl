# اردو میں کور کے الفاظ۔

## Projects
project-set-up-by-staff-only = صرف عملے نے شروع کیا: خدمات استعمال کرنے والوں کو شریک بانی بننے کی دعوت دیں۔
project-set-up-by-staff-only-easy = یہ منصوبہ صرف عملے نے شروع کیا۔ جن لوگوں کی ہم مدد کرتے ہیں انہیں شروع سے شامل کریں۔
stage-idea = خیال
stage-shaping = تشکیل
stage-doing = عمل
stage-reviewing = جائزہ
stage-resting = وقفہ
stage-done = مکمل

## Contributions
time-given = { $hours ->
    [one] ایک گھنٹہ دیا
   *[other] { $hours } گھنٹے دیے
}
time-given-easy = { $hours ->
    [one] آپ نے 1 گھنٹہ دیا۔ شکریہ!
   *[other] آپ نے { $hours } گھنٹے دیے۔ شکریہ!
}

## Home
home-waiting-updates = { $count ->
    [one] پڑھنے کے لیے ایک نئی خبر
   *[other] پڑھنے کے لیے { $count } نئی خبریں
}
home-waiting-actions = { $count ->
    [one] ایک کام آپ کا ہے
   *[other] { $count } کام آپ کے ہیں
}

## Errors people may see
error-not-found = ہمیں یہ نہیں ملا۔ ہو سکتا ہے اسے ہٹا دیا گیا ہو، یا یہ ابھی اس فون تک نہ پہنچا ہو۔
error-not-found-easy = ہمیں یہ نہیں ملا۔
error-invalid = { $field }: { $reason }
error-not-allowed = آپ یہاں یہ نہیں کر سکتے: { $reason }
error-conflict = یہ ابھی نہیں ہو سکتا: { $reason }
error-storage = اس فون پر محفوظ کرتے وقت کچھ غلط ہو گیا۔ کچھ بھی تبدیل نہیں ہوا۔
error-busy = یہ فون ابھی مصروف ہے۔ براہ کرم تھوڑی دیر میں دوبارہ کوشش کریں۔
error-busy-easy = فون مصروف ہے۔ جلد دوبارہ کوشش کریں۔
error-corrupt = اس فون پر محفوظ Equally کا ڈیٹا پڑھا نہیں جا سکتا۔ کچھ بھی تبدیل نہیں ہوا۔ عملے سے مدد مانگیں۔
error-corrupt-easy = ہم محفوظ ڈیٹا نہیں پڑھ سکتے۔ عملے سے مدد مانگیں۔
error-interrupted = یہ مکمل ہونے سے پہلے روک دیا گیا۔ کچھ بھی تبدیل نہیں ہوا۔
error-offline = ابھی کنکشن نہیں ہے۔ آپ کی تبدیلیاں اس فون پر محفوظ ہیں اور بعد میں بھیج دی جائیں گی۔
error-offline-easy = ابھی سگنل نہیں ہے۔ آپ کی تبدیلیاں اس فون پر محفوظ ہیں۔
error-network = سرور ابھی یہ نہیں لے سکا: { $reason }۔ آپ کی تبدیلیاں اس فون پر محفوظ ہیں۔

## خانے، جیسے لوگ انہیں غلطی کے پیغامات میں کہتے ہیں
field-time-zone = ٹائم زون
field-invite-code = دعوت کا کوڈ
field-server-url = سرور کا پتہ
field-device-token = ڈیوائس کا سائن اِن
field-encryption-key = اس فون کے ڈیٹا کی چابی
field-database-path = Equally کے ڈیٹا کی جگہ
field-expenses-pence = اخراجات
field-starts-at = شروع ہونے کا وقت
field-ends-at = ختم ہونے کا وقت
field-due-on = مقررہ تاریخ
field-done-on = کام کا دن
field-review-on = جائزے کی تاریخ
field-how-much = کتنا
field-what = کیا
field-name = نام
field-title = عنوان
field-purpose = مقصد
field-description = تفصیل
field-reason = وجہ
field-note = نوٹ
field-minutes = وقت
field-capacity = جگہوں کی تعداد
field-languages = زبانیں
field-quiet-hours = خاموشی کے اوقات
field-offsets-minutes = یاد دہانی کے اوقات
field-options = اختیارات
field-code = کوڈ
