# تجاویز کے نتائج کا خلاصہ، اردو میں۔ `-easy` والے پیغامات آسانی سے پڑھنے
# والوں کے لیے ہیں: چھوٹے جملے، عام الفاظ۔

## تجویز کی صورتحال اور ووٹ دینے والوں کی تعداد
decision-open = ووٹنگ جاری ہے: اب تک { $eligible } میں سے { $voted } لوگوں نے ووٹ دیا ہے۔
decision-open-easy = ووٹنگ ابھی جاری ہے۔ { $eligible } میں سے { $voted } لوگ ووٹ دے چکے ہیں۔
decision-passed = منظور: { $eligible } میں سے { $voted } لوگوں نے ووٹ دیا۔
decision-passed-easy = گروپ نے فیصلہ کر لیا ہے۔ { $eligible } میں سے { $voted } لوگوں نے ووٹ دیا۔
decision-not-passed = منظور نہیں ہوا: { $eligible } میں سے { $voted } لوگوں نے ووٹ دیا۔
decision-not-passed-easy = کوئی فیصلہ نہیں ہوا۔ { $eligible } میں سے { $voted } لوگوں نے ووٹ دیا۔
decision-tie = برابر: { $eligible } میں سے { $voted } لوگوں نے ووٹ دیا۔
decision-tie-easy = مقابلہ برابر رہا، اس لیے ابھی کوئی فیصلہ نہیں ہوا۔ { $eligible } میں سے { $voted } لوگوں نے ووٹ دیا۔
decision-no-quorum = کورم پورا نہیں ہوا: { $eligible } میں سے { $voted } لوگوں نے ووٹ دیا، جبکہ { $needed } ووٹ درکار تھے۔
decision-no-quorum-easy = کافی لوگوں نے ووٹ نہیں دیا، اس لیے کوئی فیصلہ نہیں ہوا۔ { $eligible } میں سے { $voted } لوگوں نے ووٹ دیا۔ ہمیں { $needed } ووٹ چاہیے تھے۔
decision-blocked = روک دیا گیا: { $eligible } میں سے { $voted } لوگوں نے ووٹ دیا۔
decision-blocked-easy = کوئی اسے روکنا چاہتا ہے، اس لیے ہم رک کر بات کریں گے۔ { $eligible } میں سے { $voted } لوگوں نے ووٹ دیا۔

## اعتراضات اور رکاوٹیں
decision-nobody-objected = کسی نے اعتراض نہیں کیا۔
decision-nobody-objected-easy = کسی نے انکار نہیں کیا۔
decision-objections-standing = { $count ->
    [one] ایک اعتراض ابھی باقی ہے۔
   *[other] { $count } اعتراضات ابھی باقی ہیں۔
}
decision-objections-standing-easy = { $count ->
    [one] ایک شخص نے انکار کیا۔ ہم اس پر بات کریں گے۔
   *[other] { $count } لوگوں نے انکار کیا۔ ہم اس پر بات کریں گے۔
}
decision-objections-settled = { $count ->
    [one] ایک اعتراض واپس لے لیا گیا یا حل ہو گیا۔
   *[other] { $count } اعتراضات واپس لے لیے گئے یا حل ہو گئے۔
}
decision-objections-settled-easy = { $count ->
    [one] کسی کا اٹھایا ہوا ایک مسئلہ حل ہو گیا ہے۔
   *[other] لوگوں کے اٹھائے ہوئے { $count } مسئلے حل ہو گئے ہیں۔
}
decision-nobody-blocked = کسی نے رکاوٹ نہیں ڈالی۔
decision-nobody-blocked-easy = کوئی اسے روکنا نہیں چاہتا۔
decision-blocks-standing = { $count ->
    [one] ایک رکاوٹ ابھی باقی ہے۔
   *[other] { $count } رکاوٹیں ابھی باقی ہیں۔
}
decision-blocks-standing-easy = { $count ->
    [one] ایک شخص اسے روکنا چاہتا ہے۔ ہم اس پر بات کریں گے۔
   *[other] { $count } لوگ اسے روکنا چاہتے ہیں۔ ہم اس پر بات کریں گے۔
}
decision-blocks-settled = { $count ->
    [one] ایک رکاوٹ واپس لے لی گئی یا حل ہو گئی۔
   *[other] { $count } رکاوٹیں واپس لے لی گئیں یا حل ہو گئیں۔
}
decision-blocks-settled-easy = { $count ->
    [one] کسی کا اٹھایا ہوا ایک مسئلہ حل ہو گیا ہے۔
   *[other] لوگوں کے اٹھائے ہوئے { $count } مسئلے حل ہو گئے ہیں۔
}
decision-agreement-counts = حق میں: { $agree }، مخالفت میں: { $disagree }، غیر جانبدار: { $abstain }۔
decision-agreement-counts-easy = ہاں: { $agree }۔ نہیں: { $disagree }۔ کوئی رائے نہیں: { $abstain }۔

## آپشن
decision-chosen = منتخب: { $option }۔
decision-chosen-easy = گروپ نے یہ چنا: { $option }۔
decision-leading = اب تک آگے: { $option }۔
decision-leading-easy = اب تک زیادہ تر لوگوں نے یہ چنا ہے: { $option }۔
decision-tied-between = ان کے درمیان برابری: { $options }۔
decision-tied-between-easy = ان سب کو برابر ووٹ ملے: { $options }۔ گروپ کو فیصلہ کرنا ہے۔
decision-best-time = بہترین وقت: { $option }۔
decision-best-time-easy = اس وقت زیادہ تر لوگ آ سکتے ہیں: { $option }۔
decision-one-to-one-winner = ایک ایک کر کے موازنہ کریں تو { $option } ہر دوسرے آپشن سے جیتتا ہے۔
decision-one-to-one-winner-easy = دو دو کر کے دیکھیں تو لوگوں کو { $option } سب سے زیادہ پسند تھا۔
decision-no-one-to-one-winner = کوئی آپشن ایک ایک مقابلے میں ہر دوسرے سے نہیں جیتتا؛ یہ باقی سب سے جیتتے ہیں: { $options }۔
decision-no-one-to-one-winner-easy = دو دو کر کے دیکھیں تو کوئی سب سے اوپر نہیں آیا۔ یہ سب سے اچھے رہے: { $options }۔

## آف لائن ووٹ
decision-provisional = یہ نتیجہ ابھی بدل سکتا ہے: بند ہونے سے پہلے آف لائن دیے گئے ووٹ ابھی پہنچ سکتے ہیں۔
decision-provisional-easy = یہ ابھی بدل سکتا ہے۔ کچھ ووٹ ابھی راستے میں ہو سکتے ہیں۔
