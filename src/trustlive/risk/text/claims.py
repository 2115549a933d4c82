"""False claims (匹诺曹): absolute terms the advertising law forbids and medical or efficacy claims
for goods that are not drugs, read from the compact form of a product text or a comment.

- 《广告法》第九条第（三）项: an advertisement shall not use "国家级", "最高级", "最佳" or
  similar terms.
- 《广告法》第十七条: apart from medical, drug and medical-device advertisements, no advertisement
  may claim to treat disease, nor use medical terms or terms that confuse goods with drugs.
Ordinal uses stay clear: 第一单 / 第一次 / 第1件, 最后一件, 最近, 最新到货.
"""

from __future__ import annotations

import re

from trustlive.risk.text.findings import Match, Rule

_RANKED = r"(?:全网|全国|全球|世界|行业|销量|同类|排名|品类|全平台|全省)"
ABSOLUTE_TERMS = re.compile(
    "|".join(
        (
            r"最(?:好|佳|优|强|棒|低价?|便宜|高级|先进|优惠|划算|实惠|正宗|安全|有效|畅销|受欢迎|顶级|牛)",
            r"史上最",
            rf"{_RANKED}(?:第一|第1|no1|top1|冠军)",
            r"第一品牌|no1品牌",
            r"国家级|世界级|全球级|宇宙级|顶级|极品|顶尖|尖端",
            r"独一无二|绝无仅有|史无前例|万能",
            r"(?:100|百分之百|百分百)%?(?:有效|安全)",
            r"零风险|无副作用",
            r"领导品牌|领袖品牌|王牌",
        )
    )
)
MEDICAL_CLAIMS = re.compile(
    "|".join(
        (
            r"治愈|根治|包治|治病|治癌|抗癌|防癌|抗肿瘤",
            r"治疗",
            r"降血压|降血糖|降血脂|降三高",
            r"药到病除|疗效|消炎|壮阳|祛病|延年益寿",
            r"(?:能|可以|可|专)治",
        )
    )
)


def find(text: str) -> list[Match]:
    """Every claims match in compact `text`, in order of position."""
    found = [
        Match(Rule.ABSOLUTE_TERM, m.group(0), m.start(), m.end())
        for m in ABSOLUTE_TERMS.finditer(text)
    ]
    found += [
        Match(Rule.MEDICAL_CLAIM, m.group(0), m.start(), m.end())
        for m in MEDICAL_CLAIMS.finditer(text)
    ]
    return sorted(found, key=lambda m: (m.start, m.end, m.rule))
